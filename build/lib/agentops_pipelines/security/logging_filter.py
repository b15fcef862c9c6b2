"""Keep secrets out of logs, and show configured keys in the UI without revealing them."""

from __future__ import annotations

import logging
import re

from agentops_pipelines.security.redact import redact

_VENDOR_PREFIX = re.compile(
    r"(?:sk-ant-|sk-proj-|sk-svcacct-|sk-admin-|sk-|[sr]k_(?:live|test)_|whsec_"
    r"|gh[pousr]_|github_pat_|xox[a-z]-|AKIA|AIza)"
)
_MIN_HIDDEN_FOR_SUFFIX = 16  # below this, even four characters give away too much of the key


class SecretRedactingFilter(logging.Filter):
    """Redact the formatted message, traceback and stack of every record that passes through.

    The message is formatted once (`msg % args`) and redacted, so secrets passed as arguments
    are caught too; records with nothing to redact are left untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        redacted = redact(message).text
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text).text
        if record.stack_info:
            record.stack_info = redact(record.stack_info).text
        return True


def install_secret_filter(logger: logging.Logger | None = None) -> SecretRedactingFilter:
    """Attach one `SecretRedactingFilter` to the logger and each of its handlers (root by default).

    Handler filters also see records propagated from child loggers, which logger filters do
    not. Calling it again reuses the installed filter and adds no duplicate; handlers added
    later need another call.
    """
    target = logger if logger is not None else logging.getLogger()
    existing = [f for f in target.filters if isinstance(f, SecretRedactingFilter)]
    secret_filter = existing[0] if existing else SecretRedactingFilter()
    for filterer in (target, *target.handlers):
        if not any(isinstance(f, SecretRedactingFilter) for f in filterer.filters):
            filterer.addFilter(secret_filter)
    return secret_filter


def mask_secret(value: str | None) -> str:
    """Show a configured key as `sk-proj-...a1b2`: vendor prefix and at most the last 4 chars.

    Short values show no characters at all; an unset value shows `(not set)`.
    """
    if not value:
        return "(not set)"
    value = value.strip()
    prefix_match = _VENDOR_PREFIX.match(value)
    prefix = prefix_match.group(0) if prefix_match else ""
    hidden = len(value) - len(prefix)
    suffix = value[-4:] if hidden >= _MIN_HIDDEN_FOR_SUFFIX else ""
    return f"{prefix}...{suffix}" if prefix or suffix else "****"
