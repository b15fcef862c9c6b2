"""The prose of a piece of code (comments, docstrings, string literals): where code cites IDs.

Only prose is searched for requirement IDs, so a variable named `r1` never reads as "R1".
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

_SCRIPT_COMMENT = re.compile(r"(//.*$|/\*.*?\*/|^\s*\*.*$)", re.M | re.S)


def prose(path: str, text: str) -> str:
    if path.endswith(".py"):
        return _python_prose(text)
    return "\n".join(m.group(0) for m in _SCRIPT_COMMENT.finditer(text))


def _python_prose(text: str) -> str:
    parts: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                parts.append(token.string)
            elif token.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(token.string)
                except (ValueError, SyntaxError):
                    continue
                if isinstance(value, str):
                    parts.append(value)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(line for line in text.splitlines() if "#" in line)
    return "\n".join(parts)
