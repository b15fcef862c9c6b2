"""Plan + task graph timing for every sample spec and a 500-requirement synthetic spec.

Run: .venv/bin/python benchmarks/plan_builder.py
Last line: plan_p50_ms=<median ms per spec, plan + graph> all_valid=<true|false>
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import time
from pathlib import Path

from agentops_pipelines.planning import (
    build_plan,
    build_task_graph,
    suggest_template,
    task_graph_problems,
)
from agentops_pipelines.specs.models import (
    AcceptanceCriterion,
    Requirement,
    SourceSpan,
    SpecDocument,
    SpecFormat,
)

SPECS = Path(__file__).resolve().parents[1] / "examples" / "specs"
VOCAB = [
    "api",
    "endpoint",
    "store",
    "database",
    "page",
    "email",
    "daily",
    "batch",
    "admin",
    "pdf",
    "export",
    "command",
    "stripe",
    "latency",
    "invoice",
    "customer",
    "order",
    "record",
    "download",
    "webhook",
    "tab",
    "report",
    "metric",
    "role",
]


def synthetic(n: int = 500) -> SpecDocument:
    """A big spec with varied wording, so every rule and component gets exercised."""
    span = SourceSpan(start_line=1, end_line=1)
    reqs = []
    for i in range(1, n + 1):
        words = [VOCAB[(i * k) % len(VOCAB)] for k in (1, 3, 7)]
        text = f"The system MUST handle {' '.join(words)} case {i}."
        crit = AcceptanceCriterion(id=f"FR-{i}.AC-1", text=text, style="bullet", span=span)
        reqs.append(
            Requirement(
                id=f"FR-{i:03d}",
                id_source="author",
                text=text,
                acceptance_criteria=[crit],
                span=span,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return SpecDocument(
        spec_id="synthetic/500.md",
        format=SpecFormat.PLAIN,
        title="Synthetic 500",
        content_hash="0" * 64,
        requirements=reqs,
    )


def sample_docs() -> list[SpecDocument]:
    try:
        from agentops_pipelines.specs.parsing import parse_spec
    except Exception as exc:  # report and carry on with the synthetic spec
        print(f"parser not importable ({exc}); sample specs skipped", file=sys.stderr)
        return []
    docs = []
    for path in sorted(SPECS.rglob("*.md")):
        spec_id = str(path.relative_to(SPECS))
        docs.append(parse_spec(spec_id, path.read_text(encoding="utf-8")))
    return docs


def main() -> None:
    docs = [*sample_docs(), synthetic()]
    times: list[float] = []
    all_valid = True
    for doc in docs:
        template = suggest_template(doc)
        start = time.perf_counter()
        graph = build_task_graph(build_plan(doc, template))
        elapsed = (time.perf_counter() - start) * 1000
        times.append(elapsed)
        problems = task_graph_problems(graph)
        all_valid = all_valid and not problems
        print(
            f"{doc.spec_id:48s} reqs={len(doc.requirements):4d} template={template:13s} "
            f"tasks={len(graph.tasks):5d} ms={elapsed:8.1f} hash={graph.hash[:12]}"
        )
    print(f"specs={len(docs)} p50_ms={statistics.median(times):.1f} max_ms={max(times):.1f}")
    print(f"plan_p50_ms={statistics.median(times):.1f} all_valid={str(all_valid).lower()}")


if __name__ == "__main__":
    main()
