"""Split a template's markdown into its YAML front matter and body, and validate the header."""

from __future__ import annotations

import yaml
from pydantic import ValidationError

from agentops_pipelines.marketplace.errors import UploadRejected
from agentops_pipelines.marketplace.models import FrontMatter

MAX_FRONT_MATTER_BYTES = 8 * 1024
EXAMPLE = (
    "---\ntitle: My template\nkind: spec_template\nlicense: MIT\nversion: 1.0.0\n"
    "description: What it is for\n---"
)


class _NoAliasLoader(yaml.SafeLoader):
    """Anchors/aliases are refused: a few bytes of them can expand into a huge structure."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            raise UploadRejected("front matter uses YAML aliases (*name); write values out")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict, str]:
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise UploadRejected(
            f"the file does not start with front matter; begin it with:\n{EXAMPLE}"
        )
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            header, body = "".join(lines[1:i]), "".join(lines[i + 1 :])
            break
    else:
        raise UploadRejected("front matter is not closed; add a line with '---' after the header")
    if len(header.encode()) > MAX_FRONT_MATTER_BYTES:
        raise UploadRejected(f"front matter is over {MAX_FRONT_MATTER_BYTES} bytes; shorten it")
    try:
        data = yaml.load(header, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        raise UploadRejected(f"front matter is not valid YAML ({err}); fix the header") from err
    if not isinstance(data, dict):
        raise UploadRejected("front matter must be a YAML mapping of key: value lines")
    return data, body


def parse_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Validated header and body; every schema problem is reported, each with what to write."""
    data, body = split_front_matter(text)
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as err:
        raise UploadRejected(
            [
                f"front matter field '{'.'.join(map(str, e['loc'])) or '?'}': {e['msg']}"
                for e in err.errors()
            ]
        ) from err
    if not body.strip():
        raise UploadRejected("the template body is empty; write the template below the header")
    return meta, body
