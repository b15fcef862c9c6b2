"""The logging filter removes secrets from formatted records; keys are masked for display."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from agentops_pipelines.security import SecretRedactingFilter, install_secret_filter, mask_secret

FAKE_KEY = "sk-proj-FAKEfake0123456789abcdefFAKE"


@pytest.fixture
def logger_and_stream() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("agentops.tests.security")
    logger.handlers, logger.filters, logger.propagate = [handler], [], False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.handlers, logger.filters = [], []


def test_key_in_message_args_is_removed_from_output(logger_and_stream) -> None:
    logger, stream = logger_and_stream
    install_secret_filter(logger)

    logger.info("calling provider with key %s for %s", FAKE_KEY, "alice@example.com")

    output = stream.getvalue()
    assert FAKE_KEY not in output and "alice@example.com" not in output
    assert output == "INFO calling provider with key [REDACTED:API_KEY] for [REDACTED:EMAIL]\n"


def test_without_the_filter_the_key_would_leak(logger_and_stream) -> None:
    logger, stream = logger_and_stream

    logger.info("key %s", FAKE_KEY)

    assert FAKE_KEY in stream.getvalue()


def test_child_logger_records_are_redacted_by_the_handler_filter(logger_and_stream) -> None:
    logger, stream = logger_and_stream
    install_secret_filter(logger)
    child = logging.getLogger("agentops.tests.security.child")
    child.propagate = True

    child.warning("password=hunter2 rejected")

    assert stream.getvalue() == "WARNING password=[REDACTED:API_KEY] rejected\n"


def test_traceback_text_is_redacted(logger_and_stream) -> None:
    logger, stream = logger_and_stream
    install_secret_filter(logger)

    try:
        raise ValueError(f"bad key {FAKE_KEY}")
    except ValueError:
        logger.exception("request failed")

    assert FAKE_KEY not in stream.getvalue()
    assert "ValueError: bad key [REDACTED:API_KEY]" in stream.getvalue()


def test_install_is_idempotent(logger_and_stream) -> None:
    logger, _ = logger_and_stream

    first = install_secret_filter(logger)
    second = install_secret_filter(logger)

    assert first is second
    assert logger.filters == [first]
    assert logger.handlers[0].filters == [first]


def test_install_defaults_to_root_logger() -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    try:
        installed = install_secret_filter()
        assert installed in root.filters and installed in handler.filters
    finally:
        root.removeHandler(handler)
        for filterer in (root, *root.handlers):
            for f in [f for f in filterer.filters if isinstance(f, SecretRedactingFilter)]:
                filterer.removeFilter(f)


def test_clean_record_keeps_its_args() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d tasks", (3,), None)

    assert SecretRedactingFilter().filter(record) is True
    assert record.args == (3,) and record.getMessage() == "3 tasks"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FAKE_KEY, "sk-proj-...FAKE"),
        ("sk-ant-api03-FAKEfake0123456789abcd", "sk-ant-...abcd"),
        ("ghp_FAKE0123456789abcdefFAKE0123456789ab", "ghp_...89ab"),
        ("Fk3nQ9vB2xR7tY1uW5zA8cD4eG6hJ0mL", "...J0mL"),
        ("sk-short1234", "sk-..."),
        ("hunter2", "****"),
        ("", "(not set)"),
        (None, "(not set)"),
    ],
)
def test_mask_secret_shows_prefix_and_at_most_four_chars(value: str | None, expected: str) -> None:
    assert mask_secret(value) == expected
