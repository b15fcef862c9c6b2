"""Builders for marketplace tests: template markdown, template zips (hostile ones included)."""

from __future__ import annotations

import io
import stat
import zipfile

import yaml


def template_md(
    body: str = "# Checkout spec\n\n## FR-001 Pay\nThe user pays by card.\n", **meta: object
) -> str:
    header: dict[str, object] = {
        "title": "Checkout flow spec",
        "kind": "spec_template",
        "license": "MIT",
        "version": "1.0.0",
        "description": "A spec template for a checkout flow with criteria.",
        "tags": ["checkout", "payments"],
        "changelog": "First release.",
    }
    header.update(meta)
    header = {k: v for k, v in header.items() if v is not None}
    return f"---\n{yaml.safe_dump(header, sort_keys=False)}---\n{body}"


def make_zip(
    files: dict[str, str | bytes],
    *,
    symlinks: dict[str, str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()
