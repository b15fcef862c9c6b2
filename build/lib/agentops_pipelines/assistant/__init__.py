"""SpecGPT: grounded answers, section suggestions, ambiguity findings and summaries over specs.

Plain Python (no Dagster, no Streamlit); every model call goes through the LLM router and every
change to a spec goes through an accepted suggestion (`assistant/review.py`). `find_smells` is
the rule-layer ambiguity detector other domains (QA scores) call.
"""

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, SmellFinding, find_smells

__all__ = ["ARTA_SMELLS", "SmellFinding", "find_smells"]
