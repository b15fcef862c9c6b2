"""Reading untrusted archives (marketplace uploads, CI artifacts) within fixed limits."""

from agentops_pipelines.archives.safezip import ZipLimits, ZipRejected, read_members

__all__ = ["ZipLimits", "ZipRejected", "read_members"]
