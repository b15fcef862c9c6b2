"""Find out once which namespace flavour this machine allows, or refuse."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

from agentops_pipelines.qa.sandbox.models import IsolationMode, SandboxUnavailableError

# New network (no interfaces but a downed loopback), mount (private /tmp) and PID namespace
# (everything dies with its init), with /proc remounted so the sandbox only sees itself.
_NAMESPACES = ["--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"]


def unshare_prefix(mode: IsolationMode) -> list[str]:
    user = ["--user", "--map-root-user"] if mode == "userns" else []
    return ["unshare", *user, *_NAMESPACES, "--"]


@functools.cache
def isolation_mode() -> IsolationMode:
    """Root gets real namespaces plus a drop to an unprivileged user; otherwise a user namespace."""
    if shutil.which("unshare") is None:
        raise SandboxUnavailableError(
            "the sandbox needs `unshare` (util-linux) on PATH; install util-linux and retry"
        )
    modes: list[IsolationMode] = ["root", "userns"] if os.geteuid() == 0 else ["userns"]
    if os.environ.get("AGENTOPS_SANDBOX_ISOLATION") == "userns":  # opt out of the root path
        modes = ["userns"]
    for mode in modes:
        probe = subprocess.run(
            [*unshare_prefix(mode), "true"], capture_output=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            return mode
    raise SandboxUnavailableError(
        "cannot create network/mount/PID namespaces (`unshare --net` and `unshare --user "
        "--map-root-user --net` both failed); run as root or enable unprivileged user "
        "namespaces (sysctl kernel.unprivileged_userns_clone=1). Refusing to run unsandboxed."
    )
