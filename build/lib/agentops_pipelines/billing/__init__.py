"""Billing: Stripe plans and paid templates, the signed webhook, and the entitlements they grant.

No Dagster and no Streamlit here: the API router, the Billing page and the marketplace download
path all call these functions with a sessionmaker on the app store.
"""
