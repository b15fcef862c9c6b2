from __future__ import annotations

from agentops_pipelines.gitops.inbox.signature import sign, verify_signature

# Official vector from GitHub's "Validating webhook deliveries" (see SIGNATURE.md in shared data).
VECTOR_SECRET = "It's a Secret to Everybody"
VECTOR_BODY = b"Hello, World!"
VECTOR_HEADER = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


def test_official_test_vector() -> None:
    assert sign(VECTOR_SECRET, VECTOR_BODY) == VECTOR_HEADER
    assert verify_signature(VECTOR_SECRET, VECTOR_BODY, VECTOR_HEADER)


def test_official_vector_documented_in_shared_data(shared_data) -> None:
    doc = (shared_data / "github_webhooks" / "docs" / "SIGNATURE.md").read_text()
    assert f"X-Hub-Signature-256: {VECTOR_HEADER}" in doc


def test_rejects_wrong_secret_body_prefix_and_absence() -> None:
    assert not verify_signature("another secret", VECTOR_BODY, VECTOR_HEADER)
    assert not verify_signature(VECTOR_SECRET, VECTOR_BODY + b" ", VECTOR_HEADER)
    assert not verify_signature(VECTOR_SECRET, VECTOR_BODY, VECTOR_HEADER.removeprefix("sha256="))
    assert not verify_signature(VECTOR_SECRET, VECTOR_BODY, VECTOR_HEADER.replace("sha256", "sha1"))
    assert not verify_signature(VECTOR_SECRET, VECTOR_BODY, None)
    assert not verify_signature(VECTOR_SECRET, VECTOR_BODY, "")
    assert not verify_signature("", VECTOR_BODY, sign("", VECTOR_BODY))


def test_non_ascii_header_is_rejected_not_raised() -> None:
    assert not verify_signature(VECTOR_SECRET, VECTOR_BODY, "sha256=é" + "0" * 63)
