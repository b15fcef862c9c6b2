"""End to end: example specs ingested and indexed through Dagster, then searched from the CLI
and from the Specs page's search panel."""

from __future__ import annotations

import shutil

import dagster as dg
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from agentops_pipelines.cli.main import app
from agentops_pipelines.definitions import defs
from tests.conftest import EXAMPLE_SPECS, PROJECT_ROOT

SPECS = ("orders-api/spec.md", "auth-login-mfa/requirements.md")


def test_indexed_specs_are_found_by_cli_and_page(agentops_home, tmp_path, monkeypatch):
    root = tmp_path / "specs"
    for key in SPECS:
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE_SPECS / key, root / key)
    monkeypatch.setenv("AGENTOPS_SPECS_PATH", str(root))
    loaded = defs()
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions("spec", list(SPECS))
    selection = ["raw_spec", "spec_document", "spec_chunks", "spec_embeddings", "search_index"]
    assets = [a for a in loaded.assets or [] if isinstance(a, dg.AssetsDefinition)]
    for key in SPECS:
        result = dg.materialize(
            assets,
            selection=selection,
            partition_key=key,
            instance=instance,
            resources=loaded.resources,
        )
        assert result.success

    cli = CliRunner().invoke(app, ["search", "lock the account after failed sign-in attempts"])
    assert cli.exit_code == 0, cli.output
    first_line = next(line for line in cli.output.splitlines() if line.strip())
    assert "auth-login-mfa/requirements.md" in first_line, cli.output

    page = AppTest.from_file(str(PROJECT_ROOT / "streamlit_app" / "app_pages" / "specs.py"))
    page.run(timeout=60)
    page.text_input(key="spec_search_query").input("paginate the list of orders").run(timeout=60)
    assert not page.exception
    table = page.dataframe[0].value
    assert table.iloc[0]["spec"] == "orders-api/spec.md"
