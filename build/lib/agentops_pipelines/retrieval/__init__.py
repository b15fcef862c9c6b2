"""Hybrid retrieval over spec chunks (SpecGPT): chunking, embeddings, two backends, one contract.

onnxruntime is imported here, before any submodule can import usearch: with usearch 2.26
(numkong) loaded first, importing onnxruntime 1.32 segfaults the interpreter.
"""

import onnxruntime  # noqa: F401  (import order matters, see above)
