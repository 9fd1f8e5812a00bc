"""The migrations build exactly the schema the models declare, on every database."""
import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.extensions import db


def _diff():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_match_models(app):
    # The session fixture ran `upgrade` on an empty database.
    assert _diff() == []


def test_downgrade_to_empty_and_upgrade_again(app):
    flask_migrate.downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    flask_migrate.upgrade()
    assert _diff() == []
