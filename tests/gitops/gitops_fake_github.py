"""A local stand-in for GitHub's REST API, spoken to by the real PyGithub over HTTP.

In memory: git data (refs, blobs, trees, commits), pulls, issues, commit statuses and Actions
workflow runs with zipped artifacts. With `git_dir` set, branch heads not created through the API
are read from that (bare) repository, so a branch pushed with real git can get a pull request.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

TOKEN = "ghp_fakeTokenForTests0123456789abcdef"
REPO = "acme/shop"


def _sha(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class FakeGitHub:
    """Just the REST endpoints PyGithub calls to branch, commit and open a PR, in memory."""

    def __init__(self) -> None:
        self.base = ""
        self.blobs: dict[str, str] = {}
        self.trees: dict[str, dict[str, str]] = {}
        self.commits: dict[str, dict] = {}
        self.refs: dict[str, str] = {}
        self.pulls: list[dict] = []
        self.issues: list[dict] = []
        self.statuses: dict[str, list[dict]] = {}
        self.runs: dict[int, dict] = {}
        self.artifacts: dict[int, bytes] = {}
        self.calls: list[str] = []
        self.headers_seen: list[dict[str, str]] = []
        self.git_dir: Path | None = None
        root_tree = self._store_tree({"README.md": self._store_blob("# shop\n")})
        root = _sha("commit", root_tree)
        self.commits[root] = {"tree": root_tree, "parents": [], "message": "init"}
        self.refs["refs/heads/main"] = root

    def _store_blob(self, content: str) -> str:
        sha = _sha("blob", content)
        self.blobs[sha] = content
        return sha

    def _store_tree(self, entries: dict[str, str]) -> str:
        sha = _sha("tree", sorted(entries.items()))
        self.trees[sha] = dict(entries)
        return sha

    def head_of(self, branch: str) -> str | None:
        """A branch head from the API's refs, else from the bare repository pushed with git."""
        ref = f"refs/heads/{branch}"
        if ref in self.refs:
            return self.refs[ref]
        if self.git_dir is None:
            return None
        done = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "rev-parse", "--verify", "--quiet", ref],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or None

    def add_workflow_run(self, run_id: int, head_sha: str, junit: dict[str, str]) -> None:
        """A finished run whose one artifact is a zip of the given JUnit files."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, text in junit.items():
                zf.writestr(f"reports/{name}", text)
        self.runs[run_id] = {"id": run_id, "head_sha": head_sha, "artifact_id": run_id * 10}
        self.artifacts[run_id * 10] = buffer.getvalue()

    def files_at(self, branch: str) -> dict[str, str]:
        tree = self.trees[self.commits[self.refs[f"refs/heads/{branch}"]]["tree"]]
        return {path: self.blobs[sha] for path, sha in tree.items()}

    def repo_url(self) -> str:
        return f"{self.base}/repos/{REPO}"

    def ref_json(self, ref: str) -> dict:
        sha = self.refs[ref]
        return {
            "ref": ref,
            "url": f"{self.repo_url()}/git/{ref}",
            "object": {"sha": sha, "type": "commit", "url": f"{self.repo_url()}/git/commits/{sha}"},
        }

    def commit_json(self, sha: str) -> dict:
        commit = self.commits[sha]
        return {
            "sha": sha,
            "url": f"{self.repo_url()}/git/commits/{sha}",
            "message": commit["message"],
            "tree": {"sha": commit["tree"], "url": f"{self.repo_url()}/git/trees/{commit['tree']}"},
            "parents": [
                {"sha": p, "url": f"{self.repo_url()}/git/commits/{p}"} for p in commit["parents"]
            ],
        }

    def pull_json(self, pr: dict) -> dict:
        return pr | {
            "url": f"{self.repo_url()}/pulls/{pr['number']}",
            "html_url": f"https://github.test/{REPO}/pull/{pr['number']}",
        }

    def issue_json(self, issue: dict) -> dict:
        return issue | {
            "url": f"{self.repo_url()}/issues/{issue['number']}",
            "html_url": f"https://github.test/{REPO}/issues/{issue['number']}",
            "labels": [{"name": name} for name in issue["label_names"]],
        }


def build_app(fake: FakeGitHub) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def auth(request: Request, call_next):
        fake.calls.append(f"{request.method} {request.url.path}")
        fake.headers_seen.append(dict(request.headers))
        if request.url.path.startswith("/storage/"):
            return await call_next(request)  # signed URL: GitHub's storage takes no token
        if request.headers.get("authorization") not in (f"token {TOKEN}", f"Bearer {TOKEN}"):
            return JSONResponse({"message": "Bad credentials"}, status_code=401)
        return await call_next(request)

    prefix = f"/repos/{REPO}"

    @app.get(prefix)
    def repo() -> dict:
        return {
            "id": 1,
            "name": "shop",
            "full_name": REPO,
            "default_branch": "main",
            "owner": {"login": "acme"},
            "url": fake.repo_url(),
        }

    @app.get(prefix + "/git/ref/{ref:path}")
    def get_ref(ref: str):
        key = f"refs/{ref}"
        if key not in fake.refs:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        return fake.ref_json(key)

    @app.post(prefix + "/git/refs", status_code=201)
    async def create_ref(request: Request):
        data = await request.json()
        if data["ref"] in fake.refs:
            return JSONResponse({"message": "Reference already exists"}, status_code=422)
        fake.refs[data["ref"]] = data["sha"]
        return fake.ref_json(data["ref"])

    @app.patch(prefix + "/git/refs/{ref:path}")
    async def update_ref(ref: str, request: Request):
        data = await request.json()
        key = f"refs/{ref}"
        if (
            data["sha"] not in fake.commits
            or fake.refs[key] not in fake.commits[data["sha"]]["parents"]
        ):
            return JSONResponse({"message": "Update is not a fast forward"}, status_code=422)
        fake.refs[key] = data["sha"]
        return fake.ref_json(key)

    @app.get(prefix + "/git/commits/{sha}")
    def get_commit(sha: str):
        return fake.commit_json(sha)

    @app.post(prefix + "/git/blobs", status_code=201)
    async def create_blob(request: Request):
        data = await request.json()
        assert data["encoding"] == "utf-8"
        sha = fake._store_blob(data["content"])
        return {"sha": sha, "url": f"{fake.repo_url()}/git/blobs/{sha}"}

    @app.post(prefix + "/git/trees", status_code=201)
    async def create_tree(request: Request):
        data = await request.json()
        entries = dict(fake.trees[data["base_tree"]]) if data.get("base_tree") else {}
        for item in data["tree"]:
            if item["sha"] is None:
                entries.pop(item["path"], None)
            else:
                entries[item["path"]] = item["sha"]
        sha = fake._store_tree(entries)
        return {
            "sha": sha,
            "url": f"{fake.repo_url()}/git/trees/{sha}",
            "truncated": False,
            "tree": [
                {"path": p, "mode": "100644", "type": "blob", "sha": s} for p, s in entries.items()
            ],
        }

    @app.post(prefix + "/git/commits", status_code=201)
    async def create_commit(request: Request):
        data = await request.json()
        sha = _sha("commit", data["tree"], data["parents"], data["message"])
        fake.commits[sha] = {
            "tree": data["tree"],
            "parents": data["parents"],
            "message": data["message"],
        }
        return fake.commit_json(sha)

    @app.get(prefix + "/pulls")
    def list_pulls(state: str = "open", head: str | None = None, base: str | None = None):
        found = [p for p in fake.pulls if p["state"] == state or state == "all"]
        if head:
            found = [p for p in found if p["head"]["label"] == head]
        if base:
            found = [p for p in found if p["base"]["ref"] == base]
        return [fake.pull_json(p) for p in found]

    @app.post(prefix + "/pulls", status_code=201)
    async def create_pull(request: Request):
        data = await request.json()
        if any(p["head"]["ref"] == data["head"] and p["state"] == "open" for p in fake.pulls):
            return JSONResponse({"message": "A pull request already exists"}, status_code=422)
        head_sha = fake.head_of(data["head"])
        if head_sha is None:
            return JSONResponse({"message": "Validation Failed: head invalid"}, status_code=422)
        pr = {
            "id": 1000 + len(fake.pulls),
            "number": len(fake.pulls) + 1,
            "state": "open",
            "title": data["title"],
            "body": data["body"],
            "head": {
                "ref": data["head"],
                "label": f"acme:{data['head']}",
                "sha": head_sha,
            },
            "base": {"ref": data["base"], "label": f"acme:{data['base']}"},
        }
        fake.pulls.append(pr)
        return fake.pull_json(pr)

    @app.patch(prefix + "/pulls/{number}")
    async def edit_pull(number: int, request: Request):
        data = await request.json()
        pr = fake.pulls[number - 1]
        pr.update({k: v for k, v in data.items() if k in ("title", "body", "state")})
        return fake.pull_json(pr)

    @app.get(prefix + "/pulls/{number}")
    def get_pull(number: int):
        if not 0 < number <= len(fake.pulls):
            return JSONResponse({"message": "Not Found"}, status_code=404)
        return fake.pull_json(fake.pulls[number - 1])

    @app.get(prefix + "/issues")
    def list_issues(state: str = "open", labels: str | None = None):
        wanted = set(labels.split(",")) if labels else set()
        return [
            fake.issue_json(i)
            for i in fake.issues
            if (state == "all" or i["state"] == state) and wanted <= set(i["label_names"])
        ]

    @app.post(prefix + "/issues", status_code=201)
    async def create_issue(request: Request):
        data = await request.json()
        issue = {
            "id": 5000 + len(fake.issues),
            "number": len(fake.issues) + 1,
            "state": "open",
            "title": data["title"],
            "body": data.get("body", ""),
            "label_names": list(data.get("labels", [])),
        }
        fake.issues.append(issue)
        return fake.issue_json(issue)

    @app.post(prefix + "/statuses/{sha}", status_code=201)
    async def create_status(sha: str, request: Request):
        data = await request.json()
        status = {"id": len(fake.statuses) + 1, "sha": sha, **data}
        fake.statuses.setdefault(sha, []).append(status)
        return status

    @app.get(prefix + "/commits/{sha}/statuses")
    def list_statuses(sha: str):
        return fake.statuses.get(sha, [])

    @app.get(prefix + "/actions/runs/{run_id}")
    def get_run(run_id: int):
        run = fake.runs.get(run_id)
        if run is None:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        return {
            "id": run_id,
            "head_sha": run["head_sha"],
            "status": "completed",
            "conclusion": "success",
            "url": f"{fake.repo_url()}/actions/runs/{run_id}",
            "artifacts_url": f"{fake.repo_url()}/actions/runs/{run_id}/artifacts",
        }

    @app.get(prefix + "/actions/runs/{run_id}/artifacts")
    def list_artifacts(run_id: int):
        run = fake.runs[run_id]
        artifact_id = run["artifact_id"]
        return {
            "total_count": 1,
            "artifacts": [
                {
                    "id": artifact_id,
                    "name": "junit",
                    "size_in_bytes": len(fake.artifacts[artifact_id]),
                    "expired": False,
                    "url": f"{fake.repo_url()}/actions/artifacts/{artifact_id}",
                    "archive_download_url": (
                        f"{fake.repo_url()}/actions/artifacts/{artifact_id}/zip"
                    ),
                }
            ],
        }

    @app.get(prefix + "/actions/artifacts/{artifact_id}/zip")
    def download_artifact(artifact_id: int):
        return Response(
            status_code=302, headers={"location": f"{fake.base}/storage/{artifact_id}.zip"}
        )

    @app.get("/storage/{artifact_id}.zip")
    def storage(artifact_id: int):
        return Response(fake.artifacts[artifact_id], media_type="application/zip")

    return app


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[FakeGitHub]]]:
    """One uvicorn on 127.0.0.1; each test swaps in a fresh in-memory repository."""
    holder = [FakeGitHub()]
    proxy = FastAPI()
    apps: dict[int, FastAPI] = {}

    @proxy.middleware("http")
    async def route(request: Request, call_next):
        fake = holder[0]
        app = apps.setdefault(id(fake), build_app(fake))
        response = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=response, base_url="http://fake") as client:
            upstream = await client.request(
                request.method,
                request.url.path,
                params=request.query_params,
                headers=dict(request.headers),
                content=await request.body(),
            )
        headers = {k: v for k, v in upstream.headers.items() if k in ("content-type", "location")}
        return Response(upstream.content, status_code=upstream.status_code, headers=headers)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(proxy, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "fake GitHub did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", holder
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def fake(server) -> FakeGitHub:
    """A fresh in-memory repository behind the module's server."""
    base, holder = server
    holder[0] = FakeGitHub()
    holder[0].base = base
    return holder[0]
