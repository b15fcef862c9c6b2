"""A local stand-in for the Stripe API endpoints billing uses (stdlib http.server, 127.0.0.1).

It speaks Stripe's wire format: form-encoded POST bodies with bracketed keys, Bearer auth,
Stripe-shaped JSON objects (built from stripe-mock's canonical fixtures) and Stripe's error
envelope. Every request is recorded so tests can assert what the real SDK sent.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_KEY = "sk_test_fake_4242424242"


def _error(status: int, kind: str, message: str, code: str | None = None) -> tuple[int, dict]:
    return status, {"error": {"type": kind, "message": message, "code": code}}


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`line_items[0][price_data][unit_amount]=3900` -> nested dicts (lists keyed by index)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


class FakeStripe:
    def __init__(self, canonical: Path) -> None:
        self.canonical = json.loads(canonical.read_text(encoding="utf-8"))
        self.requests: list[dict[str, Any]] = []
        self.customers: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self._ids = itertools.count(1)
        self._idempotent: dict[str, tuple[int, dict]] = {}
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeStripe:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- objects --------------------------------------------------------------------------
    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def create_customer(self, form: dict[str, Any]) -> dict:
        obj = copy.deepcopy(self.canonical["customer"])
        obj.update(id=self._new_id("cus"), name=form.get("name"), metadata=form.get("metadata", {}))
        self.customers[obj["id"]] = obj
        return obj

    def create_session(self, form: dict[str, Any]) -> tuple[int, dict]:
        for required in ("mode", "success_url", "line_items"):
            if required not in form:
                return _error(400, "invalid_request_error", f"Missing required param: {required}.")
        if form.get("customer") and form["customer"] not in self.customers:
            return _error(400, "invalid_request_error", f"No such customer: '{form['customer']}'")
        line = form["line_items"]["0"]
        amount = int(line.get("price_data", {}).get("unit_amount", 0)) * int(line["quantity"])
        obj = copy.deepcopy(self.canonical["checkout.session"])
        sid = self._new_id("cs_test")
        obj.update(
            id=sid,
            mode=form["mode"],
            customer=form.get("customer"),
            client_reference_id=form.get("client_reference_id"),
            metadata=form.get("metadata", {}),
            success_url=form["success_url"],
            cancel_url=form.get("cancel_url"),
            amount_total=amount,
            amount_subtotal=amount,
            currency=line.get("price_data", {}).get("currency", "usd"),
            status="open",
            payment_status="unpaid",
            subscription=None,
            url=f"https://checkout.stripe.com/c/pay/{sid}",
        )
        obj["_subscription_data"] = form.get("subscription_data", {})
        self.sessions[sid] = obj
        return 200, {k: v for k, v in obj.items() if not k.startswith("_")}

    def complete_session(self, session_id: str, subscription_status: str = "active") -> dict:
        """What Stripe does when the customer pays: the session completes, a subscription
        exists (mode subscription). Returns the completed session object for an event."""
        obj = self.sessions[session_id]
        obj.update(status="complete", payment_status="paid")
        if obj["mode"] == "subscription":
            sub = copy.deepcopy(self.canonical["subscription"])
            sub.update(
                id=self._new_id("sub"),
                customer=obj["customer"],
                status=subscription_status,
                metadata=obj["_subscription_data"].get("metadata", {}),
            )
            self.subscriptions[sub["id"]] = sub
            obj["subscription"] = sub["id"]
        return {k: v for k, v in copy.deepcopy(obj).items() if not k.startswith("_")}

    # --- routing --------------------------------------------------------------------------
    def handle(
        self, method: str, path: str, form: dict[str, Any], headers: dict
    ) -> tuple[int, dict]:
        self.requests.append({"method": method, "path": path, "form": form, "headers": headers})
        if headers.get("authorization") != f"Bearer {API_KEY}":
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        key = headers.get("idempotency-key")
        if method == "POST" and key and key in self._idempotent:
            return self._idempotent[key]
        result = self._route(method, path, form)
        if method == "POST" and key:
            self._idempotent[key] = result
        return result

    def _route(self, method: str, path: str, form: dict[str, Any]) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v1/customers":
            return 200, self.create_customer(form)
        if method == "POST" and path == "/v1/checkout/sessions":
            return self.create_session(form)
        if method == "GET" and parts[:2] == ["v1", "subscriptions"] and len(parts) == 3:
            sub = self.subscriptions.get(parts[2])
            if sub is None:
                return _error(
                    404,
                    "invalid_request_error",
                    f"No such subscription: '{parts[2]}'",
                    "resource_missing",
                )
            return 200, sub
        if method == "GET" and parts[:2] == ["v1", "customers"] and len(parts) == 3:
            cus = self.customers.get(parts[2])
            if cus is None:
                return _error(404, "invalid_request_error", f"No such customer: '{parts[2]}'")
            return 200, cus
        return _error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")


def _handler_for(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            url = urlsplit(self.path)
            pairs = parse_qsl(body if method == "POST" else url.query, keep_blank_values=True)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with fake.lock:
                status, payload = fake.handle(method, url.path, unflatten(pairs), headers)
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_fake")
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

    return Handler
