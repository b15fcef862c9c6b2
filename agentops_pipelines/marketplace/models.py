"""Pydantic models at the marketplace's boundaries: front matter in, cards and details out."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

# semver.org's official pattern (2.0.0), anchored.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
TAG = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
# Licences a template may be published under (SPDX ids); others are refused with this list.
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "MPL-2.0")


class TemplateKind(StrEnum):
    SPEC_TEMPLATE = "spec_template"
    PLAN_TEMPLATE = "plan_template"
    RULES_PACK = "rules_pack"


class Status(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


def semver_key(version: str) -> tuple:
    """Sort key for semver: a pre-release sorts before its release (1.0.0-rc.1 < 1.0.0)."""
    m = SEMVER.match(version)
    if not m:
        return (0, 0, 0, 0, ())
    major, minor, patch, pre = int(m[1]), int(m[2]), int(m[3]), m[4]
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in (pre or "").split("."))
    return (major, minor, patch, 0 if pre else 1, pre_key if pre else ())


class FrontMatter(BaseModel):
    """The YAML header every uploaded template starts with (between two `---` lines)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: str = Field(min_length=3, max_length=120)
    kind: TemplateKind
    license: str = Field(description=f"SPDX id, one of {', '.join(LICENSES)}")
    version: str = Field(description="Semantic version, e.g. 1.0.0")
    description: str = Field(min_length=10, max_length=500)
    slug: str | None = Field(default=None, description="URL name; derived from title if absent")
    tags: list[str] = Field(default_factory=list, max_length=10)
    changelog: str = Field(default="", max_length=2000)
    price_cents: int = Field(default=0, ge=0, le=100_000, description="0 means free")

    @field_validator("title")
    @classmethod
    def _plain_title(cls, value: str) -> str:
        """Titles are plain text: a markdown link or HTML in one is reduced to its words."""
        from agentops_pipelines.marketplace.sanitize import plain_title

        plain = plain_title(value)
        if len(plain) < 3:
            raise ValueError("title must hold at least 3 characters of plain text (no markup)")
        return plain

    @field_validator("license")
    @classmethod
    def _license(cls, value: str) -> str:
        if value not in LICENSES:
            raise ValueError(f"licence {value!r} is not accepted; use one of {', '.join(LICENSES)}")
        return value

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not SEMVER.match(value):
            raise ValueError(f"version {value!r} is not semver; write MAJOR.MINOR.PATCH like 1.0.0")
        return value

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not SLUG.match(value):
            raise ValueError(
                f"slug {value!r} is invalid; use 3-80 lower-case letters, digits and dashes"
            )
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        bad = [t for t in value if not TAG.match(t)]
        if bad:
            raise ValueError(f"tags {bad} are invalid; use lower-case words with dashes, max 30")
        return sorted(set(value))

    @field_validator("price_cents")
    @classmethod
    def _price(cls, value: int) -> int:
        if 0 < value < 100:
            raise ValueError("price_cents must be 0 (free) or at least 100 (1.00)")
        return value


class TemplateCard(BaseModel):
    """One template in a listing."""

    slug: str
    kind: TemplateKind
    title: str
    description: str
    author: str
    license: str
    tags: list[str]
    status: Status
    price_cents: int
    latest_version: str | None
    downloads: int = 0
    forks: int = 0
    rating_avg: float | None = None
    rating_count: int = 0
    updated_at: datetime

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0


class VersionInfo(BaseModel):
    version: str
    changelog: str
    sha256: str
    status: Status
    created_at: datetime
    published_at: datetime | None = None


class ReviewInfo(BaseModel):
    id: int
    user: str
    body: str
    status: str
    stars: int | None = None
    reply: str | None = None
    created_at: datetime
    updated_at: datetime


class TemplateDetail(TemplateCard):
    content: str = Field(description="Markdown of the latest published version (sanitised)")
    versions: list[VersionInfo] = Field(default_factory=list)
    reviews: list[ReviewInfo] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict)
    preview: bool = Field(
        default=False, description="True: `content` is a preview; buy the template to read it all"
    )
