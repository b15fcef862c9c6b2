"""A team's repository as AgentOps sees it: its settings file (`.agentops.yml`), its layout and
the environment its tests run in."""
