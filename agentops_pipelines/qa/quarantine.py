"""CI artifacts that could not be read safely are kept aside with the reason, not retried.

A corrupt or oversized artifact must not block CI processing (the sensor moves on) and must not
vanish either: its bytes (when they were downloaded) and one JSON problem record go under
`<ci_results>/quarantine/`, and `test_results` lists the problem beside the reports it read.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

QUARANTINE = "quarantine"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def quarantine(ci_dir: Path, name: str, problems: list[str], payload: bytes | None = None) -> Path:
    """Record why `name` was refused (and keep its bytes for inspection); return the record."""
    folder = ci_dir / QUARANTINE
    folder.mkdir(parents=True, exist_ok=True)
    stem = _SAFE.sub("_", name)[:100] or "artifact"
    if payload is not None:
        (folder / f"{stem}.zip.quarantined").write_bytes(payload)
    record = folder / f"{stem}.problem.json"
    record.write_text(
        json.dumps(
            {
                "artifact": name,
                "problems": problems,
                "bytes_kept": len(payload) if payload is not None else 0,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            indent=2,
        )
    )
    return record


def quarantined_problems(ci_dir: Path | None) -> list[str]:
    """One line per quarantined artifact, for the test_results problems list."""
    folder = (ci_dir / QUARANTINE) if ci_dir is not None else None
    if folder is None or not folder.is_dir():
        return []
    lines = []
    for record in sorted(folder.glob("*.problem.json")):
        try:
            data = json.loads(record.read_text())
            lines.append(
                f"CI artifact {data['artifact']} quarantined: {'; '.join(data['problems'])}"
            )
        except (OSError, ValueError, KeyError, TypeError):
            lines.append(f"CI artifact record {record.name} is unreadable")
    return lines
