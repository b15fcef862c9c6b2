"""The pages and the API do not import PyGithub or python-gitlab until GitHub/GitLab is used
(PyGithub alone took seconds to import on the loaded machine)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_connect_pages_and_api_import_no_host_sdk() -> None:
    code = (
        "import sys, streamlit_app.access, streamlit_app.github_view, agentops_pipelines.api.app\n"
        "print(sorted(m for m in ('github', 'gitlab') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
