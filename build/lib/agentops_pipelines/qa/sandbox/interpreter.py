"""Pick a Python the sandbox user can actually execute.

A virtualenv links to its base interpreter, which may sit in a private home (pyenv under
/root, 0700); the unprivileged sandbox user cannot exec it. Then we use a world-executable
interpreter of the same minor version and hand it the venv's site-packages via PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
import site
import stat
import sys
from pathlib import Path


def sandbox_python() -> tuple[str, list[str]]:
    """Return (interpreter path, PYTHONPATH entries) usable by an unprivileged user."""
    if _world_executable(Path(sys.executable)):
        return sys.executable, []
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (f"/usr/bin/{version}", f"/usr/local/bin/{version}", shutil.which(version)):
        if candidate and _world_executable(Path(candidate)):
            return candidate, [p for p in site.getsitepackages() if Path(p).is_dir()]
    raise FileNotFoundError(
        f"no {version} executable by other users; install one system-wide (e.g. apt-get "
        f"install {version}) or make {Path(sys.executable).resolve()} world-executable"
    )


def _world_executable(path: Path) -> bool:
    """Others need x on the file and on every directory above it, after following links."""
    real = path.resolve()
    if not real.is_file() or not os.stat(real).st_mode & stat.S_IXOTH:
        return False
    return all(os.stat(parent).st_mode & stat.S_IXOTH for parent in real.parents)
