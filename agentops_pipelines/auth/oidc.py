"""Verify OIDC ID/access tokens (JWT) against the provider's JWKS, with PyJWT.

The JWKS address comes from the issuer's discovery document; keys are cached by PyJWKClient and
refetched when a token names an unknown key id (key rotation).
"""

from __future__ import annotations

import functools
from typing import Any

import httpx
import jwt

ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"]


class OidcError(ValueError):
    """The token is not a valid token of the configured provider."""


@functools.lru_cache(maxsize=8)
def discovery(issuer: str) -> dict[str, Any]:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = httpx.get(url, timeout=10)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if document.get("issuer") != issuer:
        raise OidcError(f"discovery at {url} names issuer {document.get('issuer')!r}, not {issuer}")
    return document


@functools.lru_cache(maxsize=8)
def _jwks_client(jwks_uri: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(jwks_uri, cache_keys=True, lifespan=300)


def looks_like_jwt(value: str) -> bool:
    return value.count(".") == 2 and value.startswith("eyJ")


def verify(token: str, issuer: str, audience: str | None) -> dict[str, Any]:
    """The verified claims, or OidcError saying why the token is refused."""
    try:
        key = _jwks_client(discovery(issuer)["jwks_uri"]).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "iss", "sub"], "verify_aud": audience is not None},
            leeway=30,
        )
    except (jwt.PyJWTError, httpx.HTTPError, KeyError) as err:
        raise OidcError(f"the bearer token was refused: {type(err).__name__}") from None
    return claims
