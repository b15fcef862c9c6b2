"""logq: search JSON-lines and plain-text logs."""
