"""Approximate token counts, so a context fits a model's budget without a model's tokenizer.

Rule: max(ceil(chars / 3.5), number of word and punctuation pieces). BPE tokenizers of the GPT and
Mistral families average about 4 characters per token on English and 3-3.5 on source code, and
never merge across a word/punctuation boundary more than rarely; taking the larger of the two
estimates over-counts slightly, so a context built to a budget stays under it with the real
tokenizer. It is deterministic and needs no download.
"""

from __future__ import annotations

import math
import re

_PIECES = re.compile(r"\w+|[^\w\s]")


def approx_tokens(text: str) -> int:
    if not text:
        return 0
    return max(math.ceil(len(text) / 3.5), len(_PIECES.findall(text)))
