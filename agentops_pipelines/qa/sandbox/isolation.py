"""Find out once which namespace flavour this machine allows, or refuse.

Both flavours give a run a host uid of its own (a fresh one per run, never `nobody` shared with
other runs), so RLIMIT_NPROC counts only that run's processes and one sandbox cannot starve
another. `root`: real namespaces, the init drops to that uid. `userns`: a user namespace
entered as that uid, so the namespace's "root" is the fresh uid on the host. A service that is
not root cannot hand out uids; then the sandbox refuses instead of running with a shared one.
"""

from __future__ import annotations

import ctypes
import functools
import os
import secrets
import shutil
import signal
import subprocess

from agentops_pipelines.qa.sandbox.models import IsolationMode, SandboxUnavailableError
from agentops_pipelines.settings import get_settings

# Network (a downed loopback only), mount, PID (everything dies with its init), IPC (no shared
# SysV/POSIX queues with the host) and UTS namespaces, with /proc remounted for the PID space.
_NAMESPACES = [
    "--net", "--mount", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc",
]  # fmt: skip
PR_SET_PDEATHSIG = 1
RUN_UID_BASE = 2_000_000
RUN_UID_SPAN = 1_000_000


def unshare_prefix(mode: IsolationMode) -> list[str]:
    user = ["--user", "--map-root-user"] if mode == "userns" else []
    return ["unshare", *user, *_NAMESPACES, "--"]


def run_uid() -> int:
    """A host uid (and gid) no account uses, drawn per run: its own process count and files."""
    import pwd

    while True:
        uid = RUN_UID_BASE + secrets.randbelow(RUN_UID_SPAN)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid


def as_user(uid: int | None):  # noqa: ANN201 - a preexec_fn
    """Enter the run's uid before `unshare --user` (None: stay root), so the namespace maps
    onto it; then ask for SIGKILL when the host process dies, so no sandbox outlives the QA
    worker that started it (`--kill-child` takes the namespace with it)."""

    def enter() -> None:
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return enter


@functools.cache
def isolation_mode() -> IsolationMode:
    """Root gets real namespaces plus a drop to a per-run uid; `userns` is the opt-in flavour."""
    if shutil.which("unshare") is None:
        raise SandboxUnavailableError(
            "the sandbox needs `unshare` (util-linux) on PATH; install util-linux and retry"
        )
    if os.geteuid() != 0:
        raise SandboxUnavailableError(
            "the test sandbox needs to run as root: it gives every run a host uid of its own so "
            "that its files, process count and memory are its own; in a user namespace of a "
            "non-root service the tests would run as the service's uid, sharing its process limit "
            "and able to read its files. Run the QA worker as root (it drops privileges itself). "
            "Refusing to run the tests without that isolation."
        )
    modes: list[IsolationMode] = ["root", "userns"]
    if get_settings().sandbox.isolation == "userns":  # opt out of the root path
        modes = ["userns"]
    uid = run_uid()
    for mode in modes:
        probe = subprocess.run(
            [*unshare_prefix(mode), "true"],
            capture_output=True,
            timeout=30,
            check=False,
            preexec_fn=as_user(uid) if mode == "userns" else None,  # noqa: PLW1509
        )
        if probe.returncode == 0:
            return mode
    raise SandboxUnavailableError(
        "cannot create network/mount/PID/IPC namespaces (`unshare --net` and `unshare --user "
        "--map-root-user --net` both failed); enable namespaces (sysctl "
        "kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0). Refusing to run "
        "unsandboxed."
    )
