"""village points and case forwarding: a registration names its place (a village agent's has no
station); a forwarded case keeps its village agent as the applicant's contact

Revision ID: b6c7d8e9f0a1
Revises: a5b6c7d8e9f0
Create Date: 2026-12-08 00:33:34.932640

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6c7d8e9f0a1'
down_revision = 'a5b6c7d8e9f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_id', sa.Integer(), nullable=True))
    # Every registration so far is at a station: its place is the station's.
    op.execute("UPDATE agent_registration SET place_id = (SELECT station.place_id FROM station "
               "WHERE station.id = agent_registration.station_id)")
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.alter_column('place_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('station_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_agent_registration_place_id'), ['place_id'], unique=False)
        batch_op.create_index('uq_agent_registration_village_current', ['staff_id', 'place_id'], unique=True, sqlite_where=sa.text('ended_on IS NULL AND station_id IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND station_id IS NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_agent_registration_place_id_place'), 'place', ['place_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_agent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_case_contact_agent_id'), ['contact_agent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_service_case_contact_agent_id_staff'), 'staff', ['contact_agent_id'], ['id'])


def downgrade():
    # A village agent's registration has no station to go back to.
    op.execute("DELETE FROM agent_registration WHERE station_id IS NULL")
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_case_contact_agent_id_staff'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_service_case_contact_agent_id'))
        batch_op.drop_column('contact_agent_id')

    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agent_registration_place_id_place'), type_='foreignkey')
        batch_op.drop_index('uq_agent_registration_village_current', sqlite_where=sa.text('ended_on IS NULL AND station_id IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND station_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_agent_registration_place_id'))
        batch_op.alter_column('station_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('place_id')
