"""flagd: feature flags with targeting, kill switches, audit and approvals."""
