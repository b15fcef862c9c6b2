"""Property: any body, correctly signed or not, gets a 2xx/4xx verdict from the GitHub and
Stripe webhook logic; never an exception (a 500)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time

from hypothesis import given
from hypothesis import strategies as st

from agentops_pipelines.api.receiver.delivery_check import Accepted, Verdict, check_delivery
from agentops_pipelines.billing.webhook import WebhookRejected, verify_event
from agentops_pipelines.gitops.inbox.body_reader import LargeBodyGate, Refusal, read_verified
from agentops_pipelines.gitops.inbox.signature import sign
from tests.fuzz.fuzz_settings import fuzz

SECRET = "fuzz-secret"
JSONISH = st.one_of(
    st.binary(max_size=1024),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    ).map(lambda v: repr(v).replace("'", '"').encode()),
    st.sampled_from([b"[" * 5000, b"payload", b"payload=", b"a=b&c", b'{"action": 1}']),
)


@fuzz
@given(
    JSONISH,
    st.sampled_from(["application/json", "application/x-www-form-urlencoded", None]),
    st.booleans(),
)
def test_github_delivery_always_gets_a_verdict(body: bytes, content_type, signed: bool) -> None:
    signature = sign(SECRET, body) if signed else "sha256=" + "0" * 64
    result = check_delivery(
        secret=SECRET,
        body=body,
        signature=signature,
        event="ping",
        delivery_id="d-1",
        content_type=content_type,
    )
    assert isinstance(result, Accepted | Verdict)
    if isinstance(result, Verdict):
        assert 400 <= result.status_code < 500 and result.detail


@fuzz
@given(st.lists(st.binary(max_size=4096), max_size=8), st.booleans())
def test_streaming_reader_accepts_exactly_the_signed_bodies(chunks: list[bytes], signed: bool):
    body = b"".join(chunks)
    signature = sign(SECRET, body) if signed else sign("other", body)

    async def run() -> bytes | Refusal:
        async def stream():
            for chunk in chunks:
                yield chunk

        return await read_verified(
            stream(),
            secret=SECRET,
            signature=signature,
            declared=None,
            max_bytes=16 * 1024,
            gate=LargeBodyGate(),
        )

    result = asyncio.run(run())
    if signed and len(body) <= 16 * 1024:
        assert result == body
    else:
        assert isinstance(result, Refusal) and result.status_code in (401, 413)


@fuzz
@given(JSONISH)
def test_stripe_signed_bodies_verify_or_are_rejected(body: bytes) -> None:
    secret = "whsec_fuzz"
    t = int(time.time())
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    try:
        verify_event(body, f"t={t},v1={mac}", [secret], 300)
    except WebhookRejected as err:
        assert str(err)
