"""`agentops auth release-seat`: the operator's way to free a plan seat (README, plan limits)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from agentops_pipelines.auth import audit
from agentops_pipelines.billing.entitlements import PlanLimitExceeded
from agentops_pipelines.billing.limits import claim_seat
from agentops_pipelines.cli.main import app
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store


def test_cli_release_seat_frees_it_for_the_next_user_and_is_audited(agentops_home) -> None:
    store = open_store(load_settings().app_db_url)
    assert claim_seat(store, "solo", "alice") == 1  # the Free plan has one seat
    with pytest.raises(PlanLimitExceeded):
        claim_seat(store, "solo", "bob")

    runner = CliRunner()
    freed = runner.invoke(app, ["auth", "release-seat", "alice", "--workspace", "solo"])
    assert freed.exit_code == 0, freed.output
    assert claim_seat(store, "solo", "bob") == 1
    events = audit.events(store, "solo", action="seat.release")
    assert [e.subject for e in events] == ["member:alice"]

    again = runner.invoke(app, ["auth", "release-seat", "alice", "--workspace", "solo"])
    assert again.exit_code == 1
    assert "alice holds no seat in workspace solo" in again.output
