"""GitHubHost against a local fake of GitHub's REST API, driven through the real PyGithub."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from agentops_pipelines.gitops.branch_naming import branch_name
from agentops_pipelines.gitops.githost import ChangeRequest, FileChange, GitHostError
from agentops_pipelines.gitops.github_host import GitHubHost
from agentops_pipelines.gitops.path_guard import ProtectedPathError, check_paths

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
        self.calls: list[str] = []
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


def build_app(fake: FakeGitHub) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def auth(request: Request, call_next):
        fake.calls.append(f"{request.method} {request.url.path}")
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
        pr = {
            "id": 1000 + len(fake.pulls),
            "number": len(fake.pulls) + 1,
            "state": "open",
            "title": data["title"],
            "body": data["body"],
            "head": {
                "ref": data["head"],
                "label": f"acme:{data['head']}",
                "sha": fake.refs[f"refs/heads/{data['head']}"],
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
        return JSONResponse(upstream.json(), status_code=upstream.status_code)

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
    base, holder = server
    holder[0] = FakeGitHub()
    holder[0].base = base
    return holder[0]


@pytest.fixture
def host(server, fake) -> GitHubHost:
    return GitHubHost(TOKEN, base_url=server[0], seconds_between_writes=0)


def _change(**overrides) -> ChangeRequest:
    values = dict(
        repo=REPO,
        spec_id="billing-invoices/spec.md",
        task_id="T-003",
        title="Add invoice PDF export",
        files=[
            FileChange(path="src/invoices/pdf.py", content="def render():\n    return b''\n"),
            FileChange(path="tests/test_pdf.py", content="def test_render():\n    pass\n"),
        ],
        summary="Implements PDF export.",
        requirements=["REQ-BILL-004"],
        evidence=["tests/test_pdf.py"],
    )
    return ChangeRequest(**(values | overrides))


def test_publish_creates_branch_commit_and_pr(host: GitHubHost, fake: FakeGitHub) -> None:
    result = host.publish(_change())
    assert result.branch == "agentops/billing-invoices-spec/t-003-add-invoice-pdf-export"
    assert result.created_pr and result.pr_number == 1
    assert result.pr_url == f"https://github.test/{REPO}/pull/1"
    files = fake.files_at(result.branch)
    assert files["src/invoices/pdf.py"].startswith("def render")
    assert files["README.md"] == "# shop\n"
    assert fake.files_at("main") == {"README.md": "# shop\n"}
    [pr] = fake.pulls
    assert pr["base"]["ref"] == "main" and pr["head"]["ref"] == result.branch
    assert (
        "REQ-BILL-004" in pr["body"]
        and "<!-- agentops:billing-invoices/spec.md:T-003 -->" in pr["body"]
    )


def test_rerun_updates_the_same_pr(host: GitHubHost, fake: FakeGitHub) -> None:
    first = host.publish(_change())
    same = host.publish(_change())
    assert same.commit_sha is None and not same.created_pr and same.pr_number == first.pr_number
    changed = _change(
        title="Add invoice PDF export",
        files=[
            FileChange(path="src/invoices/pdf.py", content="def render():\n    return b'%PDF'\n"),
            FileChange(path="tests/test_pdf.py", content=None),
        ],
        summary="Second attempt.",
    )
    second = host.publish(changed)
    assert second.commit_sha and second.commit_sha != first.commit_sha
    assert len(fake.pulls) == 1 and fake.pulls[0]["body"].startswith("Second attempt.")
    files = fake.files_at(first.branch)
    assert "%PDF" in files["src/invoices/pdf.py"] and "tests/test_pdf.py" not in files
    assert fake.commits[second.commit_sha]["parents"] == [first.commit_sha]


def test_protected_paths_are_refused_before_any_call(host: GitHubHost, fake: FakeGitHub) -> None:
    change = _change(files=[FileChange(path="src/../.github/workflows/ci.yml", content="on: push")])
    with pytest.raises(ProtectedPathError, match=r"\.github/workflows/ci\.yml.*protected_paths"):
        host.publish(change)
    assert fake.calls == [] and fake.pulls == []


def test_guard_is_configurable_and_rejects_escapes() -> None:
    assert check_paths(["./src/a.py"], protected=["infra/"]) == ["src/a.py"]
    assert check_paths([".github/workflows/ci.yml"], protected=[]) == [".github/workflows/ci.yml"]
    with pytest.raises(ProtectedPathError, match="infra/main.tf"):
        check_paths(["infra/main.tf"], protected=["infra/"])
    for bad in ("../secrets.txt", "/etc/passwd", "a\\b.py", ""):
        with pytest.raises(ProtectedPathError):
            check_paths([bad])


def test_branch_names_are_valid_refs() -> None:
    assert (
        branch_name("a/b/../c spec.md", "T 1", "Fix: the *thing*?")
        == "agentops/a-b-.-c-spec/t-1-fix-the-thing"
    )
    assert branch_name("x.lock", "t", "y") == "agentops/x-lock/t-y"
    assert branch_name("s.md", "T1", "t", template="feature/{task}") == "feature/t1"
    with pytest.raises(ValueError, match="task_id"):
        branch_name("s.md", "***", "title")
    with pytest.raises(ValueError, match="unknown field"):
        branch_name("s.md", "T1", "t", template="{nope}")


def test_bad_token_gives_actionable_error_without_token(server, fake) -> None:
    wrong = "ghp_wrongTokenValue987654321"
    with pytest.raises(GitHostError, match="HTTP 401 Bad credentials") as info:
        GitHubHost(wrong, base_url=server[0], seconds_between_writes=0).publish(_change())
    assert wrong not in str(info.value)


def test_token_never_logged(host: GitHubHost, fake, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host.publish(_change())
    host.publish(_change(summary="again"))
    assert any("created branch" in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
