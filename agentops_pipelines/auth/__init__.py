"""Identity, roles and workspaces: who is calling, in which workspace, allowed to do what.

Domain code only (no FastAPI, no Streamlit): tokens, members, the route/page policy table, OIDC
token verification and the append-only audit trail. The API and the pages enforce it in one place
each (`api/auth_layer.py`, `streamlit_app/access.py`).
"""
