from datetime import UTC, datetime, timedelta

import pytest
from flagd.service import FlagError, FlagService


@pytest.fixture
def service():
    svc = FlagService()
    svc.create("new-checkout", "boolean", False, "payments")
    return svc


# Requirement: Flag definition
@pytest.mark.requirement("REQ-9c2ef18e")
def test_created_flag_has_default_in_every_environment(service):
    for env in ("development", "staging", "production"):
        assert service.evaluate("new-checkout", env, "u1", "ws_1") is False


@pytest.mark.requirement("REQ-9c2ef18e")
def test_invalid_key_is_refused_with_allowed_characters():
    with pytest.raises(FlagError, match="lower-case letters, digits and hyphens, 3-64"):
        FlagService().create("New_Checkout!", "boolean", False, "payments")


# Requirement: Targeting rules
@pytest.mark.requirement("REQ-074c1d79")
def test_allow_listed_workspace_gets_true(service):
    service.flags["new-checkout"].rules["production"].allow_workspaces.add("ws_4821")
    assert service.evaluate("new-checkout", "production", "anyone", "ws_4821") is True


@pytest.mark.requirement("REQ-074c1d79")
def test_percentage_rollout_is_sticky_and_monotonic(service):
    service.set_percentage("new-checkout", "staging", 20, "alice")
    at_20 = {u: service.evaluate("new-checkout", "staging", u, "ws") for u in map(str, range(300))}
    again = {u: service.evaluate("new-checkout", "staging", u, "ws") for u in map(str, range(300))}
    assert at_20 == again
    assert 30 < sum(at_20.values()) < 90
    service.set_percentage("new-checkout", "staging", 50, "alice")
    for user, value in at_20.items():
        if value:
            assert service.evaluate("new-checkout", "staging", user, "ws") is True


# Requirement: Kill switch
@pytest.mark.requirement("REQ-7a969d01")
def test_kill_switch_forces_default_and_keeps_rules(service):
    rules = service.flags["new-checkout"].rules["production"]
    rules.allow_workspaces.add("ws_4821")
    service.kill("new-checkout", "production", "oncall")
    assert service.evaluate("new-checkout", "production", "u", "ws_4821") is False
    assert rules.allow_workspaces == {"ws_4821"}


# Requirement: Change audit
@pytest.mark.requirement("REQ-91cfde8b")
def test_rollout_change_is_audited_with_both_percentages(service):
    service.set_percentage("new-checkout", "staging", 20, "alice")
    service.set_percentage("new-checkout", "staging", 50, "bob")
    last = service.audit[-1]
    assert (last.actor, last.environment, last.before, last.after) == ("bob", "staging", 20, 50)


# Requirement: Stale flag detection
@pytest.mark.requirement("REQ-64015094")
def test_flag_serving_one_value_for_30_days_is_stale(service):
    service.evaluate("new-checkout", "production", "u", "ws")
    later = datetime.now(UTC) + timedelta(days=31)
    assert service.stale_flags(later) == []  # nothing served in the window yet
    service.flags["new-checkout"].served["production"] = [
        (later - timedelta(days=35), False),
        (later - timedelta(days=1), False),
    ]
    assert service.stale_flags(later) == ["new-checkout"]


# Requirement: Production changes need approval
@pytest.mark.requirement("REQ-1ebc9d21")
def test_production_change_waits_for_a_second_admin(service):
    service.set_percentage("new-checkout", "production", 100, "alice")
    assert service.evaluate("new-checkout", "production", "u", "ws") is False
    change = service.pending[0]
    with pytest.raises(FlagError, match="A different admin must approve this change"):
        service.approve(change, "alice")
    service.approve(change, "bob")
    assert service.evaluate("new-checkout", "production", "u", "ws") is True
