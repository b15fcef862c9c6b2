"""`SpecGPT`: the one entry point the API, the Streamlit page and the CLI call.

It wires settings -> app store, router, retrieval and the spec workspace, and runs every request
through the same guards (toggle, rate limit, content filter, redaction) and the usage log.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.artefacts import ArtefactStore, artefact_root_for
from agentops_pipelines.assistant import git_accept, review, safety, suggestion_store
from agentops_pipelines.assistant.ask import Answer, answer
from agentops_pipelines.assistant.context import CodeFn, SearchFn, build_context
from agentops_pipelines.assistant.gaps import SpecGap, spec_gaps
from agentops_pipelines.assistant.linked_code import LinkedCode
from agentops_pipelines.assistant.review import AcceptOutcome
from agentops_pipelines.assistant.suggest import model_enabled, propose
from agentops_pipelines.assistant.suggestion_store import Suggestion
from agentops_pipelines.assistant.summarize import Summary, summarize_change, summarize_spec
from agentops_pipelines.assistant.usage import UsageEntry, ledger_totals, log_usage
from agentops_pipelines.gitops.links.repo_links import link_for_spec
from agentops_pipelines.llm import Router
from agentops_pipelines.retrieval.models import SearchFilters, SearchHit
from agentops_pipelines.settings import PROJECT_ROOT, Settings, get_settings
from agentops_pipelines.specs.models import RawSpec, SpecDocument
from agentops_pipelines.store.acting_workspace import active_workspace, within
from agentops_pipelines.store.db import open_store

DEFAULT_POLICY = PROJECT_ROOT / "config" / "llm_policy.yaml"


class SpecReview(BaseModel):
    """A spec with its markdown and every gap found in it (what the page highlights)."""

    document: SpecDocument
    markdown: str
    gaps: list[SpecGap] = Field(default_factory=list)


SEARCH_MODE_ENV = "AGENTOPS_SPECGPT_SEARCH_MODE"


def default_search(settings: Settings) -> SearchFn:
    """The retrieval service (hybrid by default; `bm25` where no embedding model can run)."""
    mode = settings.assistant.search_mode  # validated by the settings model

    def _search(query: str, filters: SearchFilters, top_k: int) -> list[SearchHit]:
        from agentops_pipelines.retrieval.spec_search import search

        return search(query, filters, top_k, mode, settings=settings, source="specgpt")  # type: ignore[arg-type]

    return _search


P = ParamSpec("P")
R = TypeVar("R")


def _in_own_workspace(
    method: Callable[Concatenate[SpecGPT, P], R],
) -> Callable[Concatenate[SpecGPT, P], R]:
    """A SpecGPT method reads and writes the rows of its workspace (a verified caller's wins)."""

    @functools.wraps(method)
    def scoped(self: SpecGPT, *args: P.args, **kwargs: P.kwargs) -> R:
        with within(self.workspace):
            return method(self, *args, **kwargs)

    return scoped


class SpecGPT:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        router: Router | None = None,
        search: SearchFn | None = None,
        session_factory: sessionmaker[Session] | None = None,
        workspace: str | None = None,
        router_factory: Callable[[], Router] | None = None,
        code: CodeFn | None = None,
    ) -> None:
        base = settings or get_settings()
        self.workspace = workspace or active_workspace()  # the caller's, else the deployment's
        # The workspace's own specs and artefacts (the deployment's only for its workspace).
        self.settings = base.with_paths(
            artefact_root=artefact_root_for(base.artefact_root, base.workspace, self.workspace)
        )
        self.sessions = session_factory or open_store(self.settings.app_db_url)
        self.search = search or default_search(self.settings)
        self.code = code or LinkedCode(self.settings.artefact_root / "codeintel" / "specgpt")
        self._router = router
        self._router_factory = router_factory

    # ---- wiring ---------------------------------------------------------------------------
    @property
    def router(self) -> Router:
        """Built on first use: keys come from the environment, the offline provider otherwise."""
        if self._router is None:
            if self._router_factory is not None:
                self._router = self._router_factory()
            else:
                from agentops_pipelines.llm.router import router_from_settings

                self._router = router_from_settings(self.settings)
        return self._router

    def model_router(self) -> Router | None:
        """The router when a real provider is configured, else None (rules/extractive mode)."""
        return self.router if model_enabled(self.router) else None

    @_in_own_workspace
    def documents(self) -> list[SpecDocument]:
        store = ArtefactStore(self.settings.artefact_root)
        docs = []
        for key in store.keys("spec_document"):
            try:
                doc = store.read_model("spec_document", key, SpecDocument)
            except (OSError, ValueError):
                continue  # an unreadable artefact is reported by the Specs page, not here
            if doc is not None:
                docs.append(doc)
        return sorted(docs, key=lambda d: d.spec_id)

    @_in_own_workspace
    def document(self, spec_id: str) -> SpecDocument:
        try:
            doc = ArtefactStore(self.settings.artefact_root).read_model(
                "spec_document", spec_id, SpecDocument
            )
        except (OSError, ValueError):  # a name no spec can have (too long, invalid): not found
            doc = None
        if doc is None:
            raise KeyError(
                f"spec {spec_id!r} has no spec_document under {self.settings.artefact_root}; "
                "run `agentops ingest` first"
            )
        return doc

    @_in_own_workspace
    def markdown(self, spec_id: str) -> str:
        """The spec as it is in the workspace now (what accept edits), else the ingested text."""
        root = self.settings.specs_path.resolve()
        path = (root / spec_id).resolve()
        if root in path.parents and path.is_file():
            return path.read_text(encoding="utf-8")
        raw = ArtefactStore(self.settings.artefact_root).read_model("raw_spec", spec_id, RawSpec)
        return raw.text if raw else ""

    # ---- features -------------------------------------------------------------------------
    def _guard(self, user: str) -> None:
        safety.check_enabled(self.sessions, self.workspace)
        safety.check_rate(self.sessions, user)

    def _log(
        self, user: str, feature: str, outcome: str, started: float, run_id: str, **kw
    ) -> None:
        tokens_in, tokens_out, cost = ledger_totals(self._router, run_id)
        log_usage(
            self.sessions,
            UsageEntry(
                workspace=self.workspace,
                user=user,
                feature=feature,
                outcome=outcome,
                tokens_in=tokens_in + kw.pop("tokens_in", 0),
                tokens_out=tokens_out + kw.pop("tokens_out", 0),
                cost_micros=cost,
                latency_ms=(time.perf_counter() - started) * 1000,
                **kw,
            ),
        )

    @_in_own_workspace
    def ask(
        self, question: str, user: str, lang: str = "en", spec_ids: list[str] | None = None
    ) -> Answer:
        started, run_id = time.perf_counter(), f"specgpt-{uuid.uuid4().hex}"
        try:
            self._guard(user)
            clean, redactions = safety.screen_input(question)
        except safety.SpecGPTRefusal as refusal:
            self._log(user, "ask", refusal.code, started, run_id)
            raise
        commits = {d.spec_id: d.source.commit if d.source else None for d in self.documents()}
        context = build_context(
            clean,
            self.search,
            filters=SearchFilters(spec_ids=spec_ids),
            commits=commits,
            code=self.code,
        )
        router = self.model_router()
        result = answer(
            clean,
            context,
            router=router,
            model_enabled=router is not None,
            lang=lang,
            workspace=self.workspace,
            run_id=run_id,
        )
        for claim in result.claims:
            claim.text = safety.screen_output(claim.text)
        self._log(
            user,
            "ask",
            "answered" if result.found else "not_found",
            started,
            run_id,
            template=result.template,
            model=result.model,
            retrieval_hits=len(context.passages),
            redactions=redactions,
        )
        return result

    @_in_own_workspace
    def review(self, spec_id: str) -> SpecReview:
        doc = self.document(spec_id)
        markdown = self.markdown(spec_id)
        return SpecReview(document=doc, markdown=markdown, gaps=spec_gaps(doc, markdown))

    @_in_own_workspace
    def suggest(self, spec_id: str, user: str) -> list[Suggestion]:
        started, run_id = time.perf_counter(), f"specgpt-{uuid.uuid4().hex}"
        self._guard(user)
        spec = self.review(spec_id)
        router = self.model_router()
        made = propose(
            spec.document, spec.markdown, router=router, workspace=self.workspace, gaps=spec.gaps
        )
        ids = suggestion_store.save_proposals(
            self.sessions, made, workspace=self.workspace, user=user
        )
        self._log(
            user,
            "suggestion",
            "proposed" if made else "nothing_to_suggest",
            started,
            run_id,
            template=made[0].template if made else None,
            model=made[0].model if made else None,
            tokens_in=sum(p.tokens_in for p in made),
            tokens_out=sum(p.tokens_out for p in made),
        )
        wanted = set(ids)
        stored = suggestion_store.list_suggestions(self.sessions, spec_id)
        return [s for s in stored if s.id in wanted]

    @_in_own_workspace
    def summarize(self, spec_id: str, user: str, change: bool = False) -> Summary:
        started, run_id = time.perf_counter(), f"specgpt-{uuid.uuid4().hex}"
        self._guard(user)
        doc = self.document(spec_id)
        router = self.model_router()
        if change:
            summary = summarize_change(doc, router=router, workspace=self.workspace, run_id=run_id)
        else:
            summary = summarize_spec(
                doc, self.markdown(spec_id), router=router, workspace=self.workspace, run_id=run_id
            )
        summary.text = safety.screen_output(summary.text)
        self._log(
            user,
            f"summary_{summary.kind}",
            "answered",
            started,
            run_id,
            template=summary.template,
            model=summary.model,
        )
        return summary

    @_in_own_workspace
    def accept(self, suggestion_id: int, user: str) -> AcceptOutcome:
        """Write the spec file, or, when a Git link (`implements` glob) covers the spec, propose
        the change for a reviewer's approval on the Git page and write nothing."""
        safety.check_enabled(self.sessions, self.workspace)
        spec_id = review.spec_of(self.sessions, suggestion_id)
        link = link_for_spec(self.sessions, spec_id)
        specs_path = self.settings.specs_path
        if link is not None:
            return git_accept.propose_accept(self.sessions, suggestion_id, user, specs_path, link)
        path = review.accept(self.sessions, suggestion_id, user, specs_path)
        return AcceptOutcome(
            suggestion_id=suggestion_id,
            spec_id=spec_id,
            path=path,
            message=f"Accepted #{suggestion_id}: {path.name} was updated",
        )

    @_in_own_workspace
    def reject(self, suggestion_id: int, user: str, reason: str) -> None:
        review.reject(self.sessions, suggestion_id, user, reason)
