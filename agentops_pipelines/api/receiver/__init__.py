"""The GitHub webhook receiver: the framework-free decision (delivery_check), the
`POST /webhooks/github` route both apps mount (github_route), the standalone FastAPI app
(standalone) and its bare-ASGI fast path for the hot route (fast_path).

Kept free of imports here: the standalone receiver's start-up time is part of its availability.
"""
