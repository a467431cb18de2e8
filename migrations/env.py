"""Alembic environment: same database as the CLI (DATABASE_URL, else the embedded server)."""

from __future__ import annotations

from alembic import context
from alembic_utils.replaceable_entity import register_entities
from sqlalchemy import Engine, pool

from etl.db.config import make_engine
from etl.db.models import SCHEMAS, metadata
from etl.db.objects import entities

config = context.config
target_metadata = metadata
# The views and functions the sql/ files declare: `alembic check` compares their definitions in
# the database with the files, and autogenerate writes a revision carrying their frozen text.
register_entities(entities())


def include_name(name, type_, parent_names):
    # Only our schemas (views and functions are compared as alembic_utils entities).
    if type_ == "schema":
        return name in SCHEMAS
    return True


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table" and reflected and compare_to is None and obj.schema == "reporting":
        return False
    return True


def run_migrations_offline() -> None:
    url = config.attributes.get("url") or "postgresql+psycopg://"
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        include_schemas=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):  # pytest-alembic hands over an engine
        with connection.connect() as conn:
            _run(conn)
        return
    if connection is not None:
        _run(connection)
        return
    # No alembic.ini: the URL is the CLI's (DATABASE_URL, else the embedded server).
    engine = make_engine(config.attributes.get("url"), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_schemas=True,
        include_name=include_name,
        include_object=include_object,
        compare_type=True,
        compare_server_default=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
