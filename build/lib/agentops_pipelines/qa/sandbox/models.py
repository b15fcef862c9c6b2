"""Limits in, results out: the contract of a sandboxed command run."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

KilledBy = Literal["cpu", "memory", "wall", "fsize", "signal"]
IsolationMode = Literal["root", "userns"]


class SandboxUnavailableError(RuntimeError):
    """The kernel or tools refuse the namespaces we need; we never fall back to running bare."""


class SandboxLimits(BaseModel):
    cpu_seconds: int = Field(default=120, ge=1, description="RLIMIT_CPU (SIGXCPU, then SIGKILL)")
    memory_bytes: int = Field(default=2 * 1024**3, ge=64 * 1024**2, description="RLIMIT_AS")
    max_processes: int = Field(default=64, ge=2, description="RLIMIT_NPROC of the sandbox user")
    max_file_bytes: int = Field(default=64 * 1024**2, ge=1024, description="RLIMIT_FSIZE")
    wall_seconds: float = Field(default=300, gt=0, description="whole process group killed after")
    output_tail_chars: int = Field(default=8_000, ge=100)
    user: str = Field(default="nobody", description="unprivileged user the command runs as")


class SandboxResult(BaseModel):
    argv: list[str]
    exit_code: int | None = Field(description="negative = killed by that signal; None = wall kill")
    timed_out: bool = False
    killed_by: KilledBy | None = None
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    stdout_tail: str = ""
    stderr_tail: str = ""
    junit_xml_path: Path | None = Field(default=None, description="evidence copy, outside sandbox")
    evidence_dir: Path | None = None
    isolation: IsolationMode

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.killed_by is None
