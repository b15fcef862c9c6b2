"""Alembic environment: runs migrations on the URL the caller configured."""

from alembic import context
from sqlalchemy import pool

from agentops_pipelines.store.db import make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
connectable = make_engine(url) if url.startswith("sqlite") else None
if connectable is None:
    from sqlalchemy import create_engine

    connectable = create_engine(url, poolclass=pool.NullPool)

with connectable.connect() as connection:
    context.configure(connection=connection, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
