"""Turn an uploaded file (one markdown file or a zip of a template folder) into a template.

Every automatic check runs here, before anything is stored; all problems found are reported
together, each naming the file and line and saying what to change.
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel, Field

from agentops_pipelines.marketplace.checks import scan_text
from agentops_pipelines.marketplace.errors import UploadRejected
from agentops_pipelines.marketplace.frontmatter import parse_front_matter
from agentops_pipelines.marketplace.models import FrontMatter
from agentops_pipelines.marketplace.safezip import ZipLimits, read_zip

MAX_MARKDOWN_BYTES = 256 * 1024
MAX_ZIP_BYTES = 512 * 1024
MAIN_FILES = ("template.md", "README.md")
_DANGEROUS_HTML = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|meta|link|base|svg)\b|<[^>\n]*\son[a-z]+\s*=",
    re.IGNORECASE,
)


class ValidatedTemplate(BaseModel):
    """An upload that passed every automatic check, ready to be stored."""

    meta: FrontMatter
    body: str
    files: dict[str, str] = Field(default_factory=dict, description="Other files of a folder")
    sha256: str

    @property
    def slug(self) -> str:
        return self.meta.slug or slugify(self.meta.title)


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-")
    return slug if len(slug) >= 3 else f"template-{slug}".strip("-")


def content_sha256(body: str, files: dict[str, str]) -> str:
    """Hash over the body and the sorted other files: identical content, identical hash."""
    canonical = json.dumps({"body": body, "files": dict(sorted(files.items()))}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _decode(payload: bytes, name: str) -> str:
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UploadRejected(f"{name}: not UTF-8 text; save the file as UTF-8") from err


def _html_problems(text: str, where: str) -> list[str]:
    found = sorted({m.group(0).strip().lower() for m in _DANGEROUS_HTML.finditer(text)})
    if not found:
        return []
    return [f"{where}: contains active HTML ({', '.join(found)[:120]}); remove raw HTML tags"]


def _main_file(files: dict[str, str]) -> str:
    for name in MAIN_FILES:
        if name in files:
            return name
    top_md = [p for p in files if "/" not in p and p.endswith(".md")]
    if len(top_md) == 1:
        return top_md[0]
    raise UploadRejected(
        "the zip has no template.md at its top level; put the template (with front matter) in "
        "template.md"
    )


def validate_upload(
    filename: str, payload: bytes, limits: ZipLimits | None = None
) -> ValidatedTemplate:
    """Run the automatic checks on one upload; raise UploadRejected listing every problem."""
    lower = filename.lower()
    if lower.endswith(".zip"):
        if len(payload) > MAX_ZIP_BYTES:
            raise UploadRejected(
                f"{filename}: {len(payload)} bytes, over the {MAX_ZIP_BYTES} byte zip limit"
            )
        files = read_zip(payload, limits)
        main = _main_file(files)
        text = files.pop(main)
    elif lower.endswith((".md", ".markdown")):
        if len(payload) > MAX_MARKDOWN_BYTES:
            raise UploadRejected(
                f"{filename}: {len(payload)} bytes, over the {MAX_MARKDOWN_BYTES} byte limit "
                "for a markdown template; shorten it or split it into a zip of files"
            )
        main, text, files = filename, _decode(payload, filename), {}
    else:
        raise UploadRejected(
            f"{filename}: unsupported file type; upload a .md file or a .zip of a template folder"
        )
    if "\x00" in text:
        raise UploadRejected(f"{main}: contains NUL bytes; upload a plain text markdown file")
    meta, body = parse_front_matter(text)
    problems = scan_text(text, main) + _html_problems(text, main)
    for path, content in sorted(files.items()):
        problems += scan_text(content, path) + _html_problems(content, path)
    if problems:
        raise UploadRejected(problems)
    return ValidatedTemplate(meta=meta, body=body, files=files, sha256=content_sha256(body, files))
