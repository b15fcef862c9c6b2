import pytest
from authmfa.service import ABSOLUTE_LIFETIME, INCORRECT, USED_CODE, AuthService
from authmfa.totp import as_base32, code_at, new_secret

NOW = 1_700_000_000.0


@pytest.fixture
def service():
    svc = AuthService()
    svc.register("ana@example.test", "correct horse")
    return svc


@pytest.mark.requirement("REQ-1")
def test_unknown_email_and_wrong_password_get_the_same_message(service):
    with pytest.raises(PermissionError, match=INCORRECT):
        service.password_step("nobody@example.test", "x", NOW)
    with pytest.raises(PermissionError, match=INCORRECT):
        service.password_step("ana@example.test", "wrong", NOW)


@pytest.mark.requirement("REQ-1")
def test_password_without_mfa_issues_a_session(service):
    session = service.password_step("ana@example.test", "correct horse", NOW)
    assert session in service.sessions


@pytest.mark.requirement("REQ-2")
def test_totp_secret_is_160_bits_and_base32():
    secret = new_secret()
    assert len(secret) * 8 == 160
    assert len(as_base32(secret)) == 32


@pytest.mark.requirement("REQ-2")
def test_enrolment_shows_ten_recovery_codes(service):
    assert len(set(service.enrol("ana@example.test", new_secret()))) == 10


@pytest.mark.requirement("REQ-3")
def test_code_from_adjacent_step_is_accepted_once(service):
    secret = new_secret()
    service.enrol("ana@example.test", secret)
    assert service.password_step("ana@example.test", "correct horse", NOW) == "mfa"
    code = code_at(secret, int(NOW // 30) - 1)
    assert service.totp_step("ana@example.test", code, NOW) in service.sessions
    with pytest.raises(PermissionError):
        service.totp_step("ana@example.test", code, NOW)


# REQ-4: recovery codes are single-use
def test_recovery_code_works_once(service):
    codes = service.enrol("ana@example.test", new_secret())
    assert service.recovery_step("ana@example.test", codes[0], NOW) in service.sessions
    with pytest.raises(PermissionError, match=USED_CODE):
        service.recovery_step("ana@example.test", codes[0], NOW)


@pytest.mark.requirement("REQ-5")
def test_five_failures_lock_the_account_without_checking_credentials(service):
    for _ in range(5):
        with pytest.raises(PermissionError, match=INCORRECT):
            service.password_step("ana@example.test", "wrong", NOW)
    with pytest.raises(PermissionError, match="Too many attempts, try again in 15 minutes"):
        service.password_step("ana@example.test", "correct horse", NOW + 1)


@pytest.mark.requirement("REQ-6")
def test_session_expires_and_sign_out_invalidates(service):
    session_id = service.password_step("ana@example.test", "correct horse", NOW)
    session = service.sessions[session_id]
    assert session.valid(NOW + 10)
    assert not session.valid(NOW + ABSOLUTE_LIFETIME)
    assert not session.valid(NOW + 61 * 60)
    service.sign_out(session_id)
    assert session_id not in service.sessions
