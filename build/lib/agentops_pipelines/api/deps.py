"""Shared request dependencies: the settings the app was created with."""

from __future__ import annotations

from fastapi import Request

from agentops_pipelines.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
