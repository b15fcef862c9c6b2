"""HTTP API over the domain packages (FastAPI, OpenAPI at /docs)."""
