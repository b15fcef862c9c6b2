"""Feature toggles per workspace: default on, switch off/on, isolation, audit, bad names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from agentops_pipelines.features import (
    MARKETPLACE,
    SPECGPT,
    feature_enabled,
    set_feature,
    workspace_features,
)
from agentops_pipelines.store.db import open_store


@pytest.fixture
def sessions(tmp_path: Path):
    return open_store(f"sqlite:///{tmp_path / 'app.db'}")


def test_features_default_enabled(sessions) -> None:
    assert feature_enabled(sessions, "acme", MARKETPLACE) is True
    assert feature_enabled(sessions, "acme", SPECGPT) is True


def test_features_toggle_is_per_workspace_and_audited(sessions) -> None:
    set_feature(sessions, "acme", MARKETPLACE, False, actor="admin@acme")
    assert feature_enabled(sessions, "acme", MARKETPLACE) is False
    assert feature_enabled(sessions, "acme", SPECGPT) is True
    assert feature_enabled(sessions, "other", MARKETPLACE) is True
    set_feature(sessions, "acme", MARKETPLACE, True, actor="admin@acme")
    assert feature_enabled(sessions, "acme", MARKETPLACE) is True
    assert workspace_features(sessions, "acme") == {MARKETPLACE: True, SPECGPT: True}
    with sessions() as s:
        actions = s.execute(
            text("select action, actor from audit_log where subject like 'workspace:acme/%'")
        ).all()
    assert [a for a, _ in actions] == ["feature.disable", "feature.enable"]
    assert {who for _, who in actions} == {"admin@acme"}


def test_features_unknown_name_is_refused_with_the_valid_list(sessions) -> None:
    with pytest.raises(ValueError, match="marketplace, specgpt"):
        feature_enabled(sessions, "acme", "marketplaces")
    with pytest.raises(ValueError, match="workspace is empty"):
        set_feature(sessions, " ", SPECGPT, False, actor="x")
