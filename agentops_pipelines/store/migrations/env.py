"""Alembic environment: runs migrations on the URL the caller configured."""

from alembic import context

from agentops_pipelines.store.db import make_engine

url = context.config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError(
        "alembic: no sqlalchemy.url configured; call agentops_pipelines.store.db.migrate(url)"
    )

with make_engine(url).connect() as connection:
    context.configure(connection=connection, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Processes starting together (API workers, code server, daemon) take turns: the
            # first migrates, the others then find the schema at its heads.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7210418)")
        context.run_migrations()
