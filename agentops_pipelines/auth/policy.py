"""THE table: the role (and token scope) every API route and every Streamlit page needs.

A route that is not listed here is refused (fail closed), and a test walks the OpenAPI schema to
prove every operation is listed. Public entries are only health, docs, sign-in and webhooks that
check their own signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentops_pipelines.auth.roles import Role

A, M, R, MOD, V = Role.ADMIN, Role.MAINTAINER, Role.REVIEWER, Role.MODERATOR, Role.VIEWER


@dataclass(frozen=True)
class Rule:
    role: Role | None  # None: public
    scope: str = ""

    @property
    def public(self) -> bool:
        return self.role is None


PUBLIC = Rule(None)


def _r(role: Role, scope: str) -> Rule:
    return Rule(role, scope)


# (method, path as in the OpenAPI schema) -> rule
ROUTES: dict[tuple[str, str], Rule] = {
    # public: health, docs, signature-checked webhooks
    ("GET", "/health"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("POST", "/webhooks/github"): PUBLIC,
    ("POST", "/webhooks/gitlab"): PUBLIC,  # X-Gitlab-Token, compared in constant time
    ("POST", "/webhooks/stripe"): PUBLIC,
    # metrics: a (service) token with metrics:read
    ("GET", "/metrics"): _r(V, "metrics:read"),
    # identity
    ("GET", "/api/auth/me"): _r(V, "auth:read"),
    ("GET", "/api/auth/tokens"): _r(V, "auth:read"),
    ("POST", "/api/auth/tokens"): _r(V, "auth:write"),
    ("DELETE", "/api/auth/tokens/{token_id}"): _r(V, "auth:write"),
    ("POST", "/api/auth/service-tokens"): _r(A, "auth:admin"),
    ("GET", "/api/auth/members"): _r(A, "auth:admin"),
    ("PUT", "/api/auth/members/{subject}"): _r(A, "auth:admin"),
    ("DELETE", "/api/auth/members/{subject}"): _r(A, "auth:admin"),
    ("GET", "/api/audit"): _r(A, "audit:read"),
    # plans
    ("POST", "/api/plan-builder"): _r(V, "specs:read"),
    ("GET", "/api/plans/{spec_id}/tasks"): _r(V, "specs:read"),
    ("GET", "/api/plans/{spec_id}"): _r(V, "specs:read"),
    # git
    ("GET", "/api/git/links"): _r(V, "git:read"),
    ("PUT", "/api/git/links"): _r(A, "git:admin"),
    ("GET", "/api/git/proposals"): _r(V, "git:read"),
    ("GET", "/api/git/proposals/{proposal_id}"): _r(V, "git:read"),
    ("GET", "/api/git/proposals/{proposal_id}/audit"): _r(V, "git:read"),
    ("POST", "/api/git/proposals/{proposal_id}/decision"): _r(R, "git:write"),
    ("GET", "/api/git/tasks"): _r(V, "git:read"),
    # marketplace
    ("GET", "/api/marketplace/templates"): _r(V, "marketplace:read"),
    ("POST", "/api/marketplace/templates"): _r(M, "marketplace:write"),
    ("GET", "/api/marketplace/search"): _r(V, "marketplace:read"),
    ("GET", "/api/marketplace/templates/{slug}"): _r(V, "marketplace:read"),
    ("GET", "/api/marketplace/templates/{slug}/versions"): _r(V, "marketplace:read"),
    ("GET", "/api/marketplace/templates/{slug}/download"): _r(V, "marketplace:read"),
    ("POST", "/api/marketplace/templates/{slug}/versions/{version}/submit"): _r(
        M, "marketplace:write"
    ),
    ("POST", "/api/marketplace/templates/{slug}/fork"): _r(M, "marketplace:write"),
    ("GET", "/api/marketplace/forks"): _r(V, "marketplace:read"),
    ("GET", "/api/marketplace/forks/{slug}/diff"): _r(V, "marketplace:read"),
    ("POST", "/api/marketplace/forks/{slug}/update"): _r(M, "marketplace:write"),
    ("GET", "/api/marketplace/notifications"): _r(V, "marketplace:read"),
    ("PUT", "/api/marketplace/templates/{slug}/rating"): _r(R, "marketplace:write"),
    ("PUT", "/api/marketplace/templates/{slug}/review"): _r(R, "marketplace:write"),
    ("POST", "/api/marketplace/reviews/{review_id}/reply"): _r(M, "marketplace:write"),
    ("POST", "/api/marketplace/reviews/{review_id}/hide"): _r(MOD, "marketplace:admin"),
    ("GET", "/api/marketplace/moderation/queue"): _r(MOD, "marketplace:admin"),
    ("POST", "/api/marketplace/moderation/{slug}/{version}/approve"): _r(MOD, "marketplace:admin"),
    ("POST", "/api/marketplace/moderation/{slug}/{version}/reject"): _r(MOD, "marketplace:admin"),
    ("GET", "/api/marketplace/moderation/audit"): _r(MOD, "marketplace:admin"),
    # SpecGPT
    ("POST", "/api/assistant/ask"): _r(V, "assistant:read"),
    ("POST", "/api/assistant/ambiguity"): _r(V, "assistant:read"),
    ("GET", "/api/assistant/specs/{spec_id}/gaps"): _r(V, "assistant:read"),
    ("POST", "/api/assistant/specs/{spec_id}/suggestions"): _r(R, "assistant:write"),
    ("GET", "/api/assistant/suggestions"): _r(V, "assistant:read"),
    ("POST", "/api/assistant/suggestions/{suggestion_id}/accept"): _r(R, "assistant:write"),
    ("POST", "/api/assistant/suggestions/{suggestion_id}/reject"): _r(R, "assistant:write"),
    ("GET", "/api/assistant/specs/{spec_id}/summary"): _r(V, "assistant:read"),
    ("GET", "/api/assistant/feedback"): _r(V, "assistant:read"),
    # billing
    ("POST", "/api/billing/checkout"): _r(A, "billing:admin"),
}

# Streamlit page file (streamlit_app/app_pages/) -> role needed to see it
PAGES: dict[str, Role] = {
    "specs.py": V,
    "plan_builder.py": V,
    "specgpt.py": V,
    "qa.py": V,
    "git.py": V,
    "llm_ops.py": M,
    "marketplace.py": V,
    "marketplace_upload.py": M,
    "marketplace_moderation.py": MOD,
    "billing.py": A,
    "kpi.py": V,
    "audit.py": A,
}


def rule_for(method: str, path: str) -> Rule | None:
    """The rule of a route; HEAD is answered like GET. None: not declared (refuse)."""
    method = "GET" if method == "HEAD" else method
    return ROUTES.get((method, path))
