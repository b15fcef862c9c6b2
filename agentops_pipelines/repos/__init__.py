"""A linked repository: its settings file (`.agentops.yml`) and what AgentOps reads from it."""
