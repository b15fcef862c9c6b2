"""Container health check for the app image (API, receiver, Streamlit): one HTTP GET.

Exit 0 when http://127.0.0.1:$AGENTOPS_HEALTH_PORT$AGENTOPS_HEALTH_PATH answers below 500
within 5 s, else 1 with the reason on stderr. Standard library only: it runs every few seconds.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("AGENTOPS_HEALTH_PORT", "8000")
    path = os.environ.get("AGENTOPS_HEALTH_PATH", "/metrics")
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
    except (OSError, ValueError) as err:
        print(f"unhealthy: {url}: {err}", file=sys.stderr)
        return 1
    if status >= 500:
        print(f"unhealthy: {url} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
