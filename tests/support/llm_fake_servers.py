"""Local stand-ins for the OpenAI and Mistral chat-completions APIs (stdlib http.server on
127.0.0.1, free port), speaking their wire formats incl. SSE streaming, with scripted faults.

Faults (one consumed per request, else random with `failure_rate`, else "ok"):
  "ok", ("429", retry_after_s), "500", "503", "reset", ("timeout", delay_s), "truncated",
  "invalid" (schema-invalid JSON content).
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from agentops_pipelines.llm.models import TaskType
from agentops_pipelines.llm.providers.offline import template_output

RANDOM_FAULTS = ["500", "503", ("429", 0.01), "reset", "truncated", "invalid"]


def default_content(body: dict) -> str:
    """A schema-valid answer for the router's built-in task schemas, read off the prompt."""
    task = TaskType.SUMMARY
    for m in body.get("messages", []):
        if m["role"] == "system" and m["content"].startswith("Task type: "):
            task = TaskType(m["content"].removeprefix("Task type: ").strip())
    prompt = "\n".join(m["content"] for m in body.get("messages", []) if m["role"] == "user")
    return json.dumps(template_output(task, prompt))


class FakeChatServer:
    def __init__(
        self,
        flavor: str = "openai",
        usage: tuple[int, int] = (120, 40),
        content_fn: Callable[[dict], str] = default_content,
        failure_rate: float = 0.0,
        seed: int = 7,
        usage_fn: Callable[[dict, str], tuple[int, int]] | None = None,
    ):
        self.flavor, self.usage, self.content_fn = flavor, usage, content_fn
        self.usage_fn = usage_fn
        self.failure_rate, self.rng = failure_rate, random.Random(seed)
        self.faults: deque = deque()
        self.requests: list[dict] = []
        self.served: list[str] = []
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda *_a: None  # client hung up after an injected fault
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        root = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        return root + "/v1" if self.flavor == "openai" else root

    def script(self, *faults) -> None:
        with self.lock:
            self.faults.extend(faults)

    def next_fault(self):
        with self.lock:
            if self.faults:
                return self.faults.popleft()
            if self.failure_rate and self.rng.random() < self.failure_rate:
                return self.rng.choice(RANDOM_FAULTS)
            return "ok"

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler_for(server: FakeChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle + the client's
        # delayed ACK randomly add ~40 ms to a keep-alive response (seen in the benchmark).
        disable_nagle_algorithm = True

        def log_message(self, *_args) -> None:
            """Quiet: test output should show failures, not access logs."""

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            fault = server.next_fault()
            name = fault if isinstance(fault, str) else fault[0]
            with server.lock:
                server.requests.append(body)
                server.served.append(name)
            if name in ("500", "503", "429"):
                headers = {"Retry-After": str(fault[1])} if name == "429" else {}
                return self._error(int(name), headers)
            if name == "reset":
                return self._reset()
            if name == "timeout":
                time.sleep(fault[1])
            content = server.content_fn(body)
            if name == "truncated":
                content = content[: len(content) // 2]
            elif name == "invalid":
                content = json.dumps({"unexpected": True})
            if body.get("stream"):
                return self._stream(body, content)
            self._json(200, self._completion(body, content))

        def _completion(self, body: dict, content: str) -> dict:
            return {
                "id": "cmpl-1",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": self._usage(body, content),
            }

        def _usage(self, body: dict, content: str) -> dict:
            pin, pout = server.usage_fn(body, content) if server.usage_fn else server.usage
            return {"prompt_tokens": pin, "completion_tokens": pout, "total_tokens": pin + pout}

        def _stream(self, body: dict, content: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            third = max(1, len(content) // 3)
            pieces = [content[i : i + third] for i in range(0, len(content), third)]
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                chunk = {
                    "id": "cmpl-1",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "delta": {"role": "assistant", "content": piece},
                            "finish_reason": "stop" if last else None,
                        }
                    ],
                }
                if last and server.flavor == "mistral":
                    chunk["usage"] = self._usage(body, content)
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            if server.flavor == "openai":
                tail = {"id": "cmpl-1", "object": "chat.completion.chunk", "created": 0}
                tail |= {"model": body["model"], "choices": [], "usage": self._usage(body, content)}
                self.wfile.write(f"data: {json.dumps(tail)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def _error(self, status: int, headers: dict[str, str]) -> None:
            message = f"injected HTTP {status}"
            if server.flavor == "openai":
                payload = {"error": {"message": message, "type": "server_error", "code": None}}
            else:
                payload = {"object": "error", "message": message, "type": "error", "code": status}
            self._json(status, payload, headers)

        def _json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _reset(self) -> None:
            """SO_LINGER 0 then close: the client sees a TCP RST, like a crashed upstream."""
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def finish(self) -> None:
            with contextlib.suppress(OSError):
                super().finish()

    return Handler
