"""What an environment build hands to the test run, and the problems it names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EnvKind = Literal["python", "node"]
ProblemKind = Literal["interpreter", "install", "import", "service", "runner", "timeout", "sandbox"]


class EnvProblem(BaseModel):
    """Why some tests got no verdict: never a requirement failure, always something to fix in
    the environment (an interpreter, a package, a service)."""

    kind: ProblemKind
    message: str
    tests: list[str] = Field(default_factory=list, description="test files or ids it affects")


class RepoEnvironment(BaseModel):
    kind: EnvKind
    project: str = Field(description="repo-relative folder of the project ('.' = root)")
    digest: str = Field(description="sha256 of the manifest/lock files and build settings")
    path: str = Field(description="cache folder under $AGENTOPS_HOME/envs")
    ready: bool = False
    reused: bool = False
    build_seconds: float = 0.0
    interpreter: str | None = Field(default=None, description="python or node executable")
    interpreter_version: str | None = None
    runner: str | None = Field(default=None, description="pytest | vitest | jest | mocha")
    binds: list[tuple[str, str]] = Field(
        default_factory=list, description="(cache folder, target) mounted read-only in the sandbox"
    )
    path_entries: list[str] = Field(default_factory=list, description="PATH additions")
    pythonpath: list[str] = Field(default_factory=list, description="workdir-relative entries")
    test_paths: list[str] = Field(default_factory=list)
    install_log: str | None = None
    problems: list[EnvProblem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
