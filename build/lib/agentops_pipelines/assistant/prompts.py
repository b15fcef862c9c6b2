"""The prompt library: versioned Jinja2 templates, one file per feature and language.

File name `<feature>.<lang>.v<N>.j2` under `assistant/prompts/`. The highest version is used
unless a caller pins one; the `template_id` ("ask.en.v1") is stored with every suggestion and
usage row so acceptance can be compared per template version.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel

PROMPTS_DIR = Path(__file__).with_name("prompts")
_NAME = re.compile(r"^(?P<feature>[a-z_]+)\.(?P<lang>[a-z]{2})\.v(?P<version>\d+)\.j2$")


class PromptTemplate(BaseModel):
    feature: str
    lang: str
    version: int
    path: Path

    @property
    def template_id(self) -> str:
        return f"{self.feature}.{self.lang}.v{self.version}"


class RenderedPrompt(BaseModel):
    template_id: str
    version: str
    text: str


def list_templates(root: Path = PROMPTS_DIR) -> list[PromptTemplate]:
    found = []
    for path in sorted(root.glob("*.j2")):
        match = _NAME.match(path.name)
        if match:
            found.append(
                PromptTemplate(
                    feature=match["feature"],
                    lang=match["lang"],
                    version=int(match["version"]),
                    path=path,
                )
            )
    return found


def find_template(feature: str, lang: str = "en", version: int | None = None) -> PromptTemplate:
    """The pinned version, else the newest; falls back to English when a language is missing."""
    for wanted_lang in dict.fromkeys([lang, "en"]):
        candidates = [
            t
            for t in list_templates()
            if t.feature == feature
            and t.lang == wanted_lang
            and (version is None or t.version == version)
        ]
        if candidates:
            return max(candidates, key=lambda t: t.version)
    known = sorted({t.template_id for t in list_templates()})
    raise KeyError(
        f"no prompt template for feature {feature!r} lang {lang!r} version {version}; "
        f"add {PROMPTS_DIR}/{feature}.{lang}.v1.j2 (known: {', '.join(known)})"
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """StrictUndefined: a template referring to a variable the code did not pass fails loudly."""
    return Environment(
        loader=FileSystemLoader(str(PROMPTS_DIR)),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    feature: str, lang: str = "en", version: int | None = None, **values: Any
) -> RenderedPrompt:
    template = find_template(feature, lang, version)
    text = _environment().get_template(template.path.name).render(**values)
    return RenderedPrompt(
        template_id=template.template_id, version=f"v{template.version}", text=text
    )
