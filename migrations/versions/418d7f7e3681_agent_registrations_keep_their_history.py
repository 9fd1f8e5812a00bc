"""agent registrations keep their history: an ended registration keeps its dates, at most one
current registration per agent and station

Revision ID: 418d7f7e3681
Revises: af481abf0c58
Create Date: 2026-11-29 08:06:51.230419

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '418d7f7e3681'
down_revision = 'af481abf0c58'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_agent_registration_staff_id_station_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_agent_registration_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index('uq_agent_registration_current', ['staff_id', 'station_id'], unique=True, sqlite_where=sa.text('ended_on IS NULL'), postgresql_where=sa.text('ended_on IS NULL'))


def downgrade():
    # The old schema has no end date: ended registrations cannot be kept.
    op.execute("DELETE FROM agent_registration WHERE ended_on IS NOT NULL")
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.drop_index('uq_agent_registration_current', sqlite_where=sa.text('ended_on IS NULL'), postgresql_where=sa.text('ended_on IS NULL'))
        batch_op.drop_index(batch_op.f('ix_agent_registration_staff_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_agent_registration_staff_id_station_id'), ['staff_id', 'station_id'])
        batch_op.drop_column('ended_on')
