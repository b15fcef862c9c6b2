"""A team's repository as AgentOps sees it: its settings file (`.agentops.yml`) and layout."""
