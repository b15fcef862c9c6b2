"""The dbt manifest of dbt_metrics, prepared once (by `make`/CI), never parsed at import.

    python -m agentops_pipelines.warehouse.manifest     # `make manifest`: dbt parse if stale

`ensure_manifest()` is what the code location calls when it builds the dbt assets: a fresh
manifest (newer than every model, macro and project file) costs a few stat calls and runs no
subprocess; a missing or stale one is re-parsed once per process, under a file lock so concurrent
processes (a daemon, a run worker, a test worker) never read a half-written file.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

from agentops_pipelines.settings import get_settings
from agentops_pipelines.warehouse import DBT_PROJECT_DIR, dbt_executable, dbt_profiles_dir

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"


def _sources(project_dir: Path) -> list[Path]:
    found = [project_dir / "dbt_project.yml"]
    for folder in ("models", "macros"):
        found.extend(p for p in (project_dir / folder).rglob("*.*") if p.is_file())
    return found


def manifest_is_stale(manifest: Path = MANIFEST, project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """Missing, or older than any model, macro or project file."""
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(path.stat().st_mtime > built for path in _sources(project_dir))


def parse_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """`dbt parse` into target/ (the venv's dbt), serialised across processes by a lock file."""
    target = project_dir / "target"
    target.mkdir(parents=True, exist_ok=True)
    manifest = target / "manifest.json"
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if manifest_is_stale(manifest, project_dir):  # another process may have just done it
                done = subprocess.run(
                    [
                        dbt_executable(),
                        "parse",
                        "--quiet",
                        "--project-dir",
                        str(project_dir),
                        "--profiles-dir",
                        str(dbt_profiles_dir()),
                        "--target-path",
                        str(target),
                        # The vars the dbt asset passes, so its build can reuse this parse.
                        "--vars",
                        json.dumps({"agentops_warehouse": str(get_settings().warehouse_path)}),
                    ],
                    cwd=project_dir,
                    capture_output=True,
                    text=True,
                    env=get_settings().subprocess_env(DBT_SEND_ANONYMOUS_USAGE_STATS="false"),
                )
                if done.returncode != 0:
                    tail = (done.stdout + done.stderr).strip()[-2000:]
                    raise RuntimeError(
                        f"dbt parse of {project_dir} failed (exit {done.returncode}): {tail}\n"
                        "fix the model named above, then run `make manifest`"
                    )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return manifest


@cache
def ensure_manifest() -> Path:
    """The manifest path, parsed first only when missing or stale (at most once per process)."""
    if manifest_is_stale():
        return parse_manifest()
    return MANIFEST


def main() -> None:
    stale = manifest_is_stale()
    path = parse_manifest() if stale else MANIFEST
    print(f"dbt manifest {'parsed' if stale else 'up to date'}: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
