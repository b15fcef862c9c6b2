"""The GitHub webhook receiver: the framework-free decision (delivery_check), the standalone
FastAPI app (app) and its bare-ASGI fast path for the hot route (fast_path).

Kept free of imports here: the standalone receiver's start-up time is part of its availability.
"""
