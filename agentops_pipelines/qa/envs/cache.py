"""Environment cache: one folder per manifest digest under $AGENTOPS_HOME/envs, built once.

A build goes to a `.partial` folder and is renamed into place, so a crash never leaves a folder
that looks finished; a file lock makes concurrent builds of the same digest wait for each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from agentops_pipelines.qa.envs.models import RepoEnvironment
from agentops_pipelines.settings import get_settings

BUILDER_VERSION = "1"  # bump when the way environments are built changes
MARKER = "environment.json"


def envs_home() -> Path:
    path = get_settings().qa.envs
    assert path is not None  # derived from AGENTOPS_HOME by the settings
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o755)  # the sandbox's per-run uid reads the environments (never writes them)
    return path


def digest(root: Path, files: list[Path], extra: str) -> str:
    """Hash of each manifest's path and bytes plus the settings that change the install."""
    sha = hashlib.sha256(f"{BUILDER_VERSION}\0{extra}\0".encode())
    for path in sorted(files):
        sha.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def cached(kind: str, key: str) -> RepoEnvironment | None:
    marker = envs_home() / f"{kind}-{key[:24]}" / MARKER
    if not marker.is_file():
        return None
    try:
        return RepoEnvironment.model_validate_json(marker.read_text(encoding="utf-8"))
    except ValueError:
        return None


@contextlib.contextmanager
def building(kind: str, key: str) -> Iterator[tuple[Path, Path]]:
    """(partial folder to build in, final folder) under a lock; the caller writes the marker."""
    home = envs_home()
    final = home / f"{kind}-{key[:24]}"
    with open(home / f".{final.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        partial = home / f".{final.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(mode=0o755)
        try:
            yield partial, final
        finally:
            shutil.rmtree(partial, ignore_errors=True)


def publish(partial: Path, final: Path, env: RepoEnvironment) -> RepoEnvironment:
    """Write the marker and move the folder into place (a failed build is cached too, so an
    unchanged broken manifest is not reinstalled on every run)."""
    shutil.rmtree(final, ignore_errors=True)
    text = env.model_dump_json(indent=2).replace(str(partial), str(final))
    partial.rename(final)
    (final / MARKER).write_text(text, encoding="utf-8")
    return RepoEnvironment.model_validate_json(text)


# Settings an installer needs to reach the registries (proxy, CA bundle, index mirror); the
# install runs outside the sandbox, and nothing of it reaches the tests.
_INSTALL_VARS = (
    "PATH", "HOME", "LANG", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
    "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
    "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT", "UV_INDEX_URL", "UV_DEFAULT_INDEX",
    "UV_EXTRA_INDEX_URL", "UV_NATIVE_TLS", "UV_CACHE_DIR", "npm_config_cache",
    "npm_config_registry", "npm_config_cafile",
)  # fmt: skip


def install_env(**extra: str) -> dict[str, str]:
    passed = get_settings().subprocess_env()
    return {k: v for k, v in passed.items() if k in _INSTALL_VARS} | extra
