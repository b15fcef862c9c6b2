"""A JSON Schema for the parts of the Compose specification deploy/compose.yaml uses, written
for these tests (the machines have the docker client but not its compose plugin). Unknown keys
are refused at every level we describe, so a typo such as `depend_on` fails."""

from __future__ import annotations

from typing import Any

VAR_ASSIGNMENT = "^[A-Za-z_][A-Za-z0-9_]*(=.*)?$"
SCALAR = {"type": ["string", "number", "boolean", "null"]}
VOLUME = {"type": "string", "pattern": "^[^:]+:[^:]+(:(ro|rw))?$"}
STRING_LIST = {"type": "array", "items": {"type": "string"}}
COMMAND = {"oneOf": [{"type": "string"}, STRING_LIST]}
ENV = {
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
        },
        {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*(=.*)?$"}},
    ]
}
DURATION = {"type": "string", "pattern": r"^(\d+(\.\d+)?(us|ms|s|m|h))+$"}
HEALTHCHECK = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "test": {"oneOf": [{"type": "string"}, {**STRING_LIST, "minItems": 1}]},
        "interval": DURATION,
        "timeout": DURATION,
        "start_period": DURATION,
        "start_interval": DURATION,
        "retries": {"type": "integer", "minimum": 0},
        "disable": {"type": "boolean"},
    },
}
DEPENDS_ON = {
    "oneOf": [
        STRING_LIST,
        {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["condition"],
                "properties": {
                    "condition": {
                        "enum": [
                            "service_started",
                            "service_healthy",
                            "service_completed_successfully",
                        ]
                    },
                    "restart": {"type": "boolean"},
                    "required": {"type": "boolean"},
                },
            },
        },
    ]
}
SERVICE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "patternProperties": {"^x-": {}},
    "properties": {
        "image": {"type": "string"},
        "build": {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "context": {"type": "string"},
                        "dockerfile": {"type": "string"},
                        "args": ENV,
                        "target": {"type": "string"},
                    },
                },
            ]
        },
        "command": COMMAND,
        "entrypoint": COMMAND,
        "environment": ENV,
        "env_file": {"oneOf": [{"type": "string"}, STRING_LIST]},
        "ports": {"type": "array", "items": {"type": ["string", "integer"]}},
        "expose": {"type": "array", "items": {"type": ["string", "integer"]}},
        "volumes": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[^:]+:[^:]+(:(ro|rw))?$"},
        },
        "depends_on": DEPENDS_ON,
        "healthcheck": HEALTHCHECK,
        "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
        "profiles": STRING_LIST,
        "deploy": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "replicas": {"type": ["integer", "string"]},
                "resources": {"type": "object"},
            },
        },
        "user": {"type": "string"},
        "working_dir": {"type": "string"},
    },
}
COMPOSE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "patternProperties": {"^x-": {}},
    "required": ["services"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "services": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-zA-Z0-9._-]+$"},
            "additionalProperties": SERVICE,
        },
        "volumes": {"type": "object", "additionalProperties": {"type": ["object", "null"]}},
        "networks": {"type": "object"},
        "secrets": {"type": "object"},
        "configs": {"type": "object"},
    },
}
