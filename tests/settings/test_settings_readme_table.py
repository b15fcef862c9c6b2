"""The README's Configuration table is the one `scripts/env_table.py` generates from the model."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("env_table", ROOT / "scripts" / "env_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_matches_the_settings_model() -> None:
    script = _script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert script.readme_table(readme) == script.table(), (
        "README's Configuration table is stale: run `python scripts/env_table.py --write`"
    )


def test_every_variable_is_in_the_table() -> None:
    from agentops_pipelines.settings import variables

    table = _script().table()
    missing = [name for _, name, _ in variables() if f"| `{name}` |" not in table]
    assert missing == []
    assert table.count("\n") == len(list(variables())) + 1  # header + rule + one row each


def test_check_fails_on_a_stale_table(tmp_path: Path, monkeypatch) -> None:
    script = _script()
    stale = tmp_path / "README.md"
    stale.write_text(f"{script.BEGIN}\n| old |\n{script.END}\n", encoding="utf-8")
    monkeypatch.setattr(script, "README", stale)
    assert script.main(["--check"]) == 1
    assert script.main(["--write"]) == 0
    assert script.main(["--check"]) == 0
