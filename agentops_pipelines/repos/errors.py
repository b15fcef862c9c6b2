"""The one error for an unusable `.agentops.yml`, shared by every section's reader."""


class RepoSettingsError(ValueError):
    """The settings file cannot be used; the message names the file, the key and the fix."""
