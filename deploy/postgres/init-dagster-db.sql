-- First start of the compose PostgreSQL: the Dagster instance gets its own database beside the
-- app store (`agentops`); both use Alembic, whose version tables must not meet.
CREATE DATABASE dagster OWNER agentops;
