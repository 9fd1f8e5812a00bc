"""relatives (亲友代办): a citizen acts for a confirmed relative; bookings and cases made under
the relation; a citizen's own bookings exclude those made in a person's name

Revision ID: b8c9d0e1f2a3
Revises: a7b8c9d0e1f2
Create Date: 2026-12-07 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c9d0e1f2a3'
down_revision = 'a7b8c9d0e1f2'
branch_labels = None
depends_on = None

ACTIVE = "status IN ('booked', 'checked_in')"
OWN = sa.text(ACTIVE + " AND person_id_number_key IS NULL")


def upgrade():
    op.create_table(
        'relative',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('citizen_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('relation', sa.String(length=20), nullable=False),
        sa.Column('id_number_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('id_number_key', sa.String(length=64), nullable=False),
        sa.Column('phone_encrypted', sa.LargeBinary(), nullable=True),
        sa.Column('status', sa.Enum('pending', 'confirmed', 'ended', name='relative_status',
                                    native_enum=False, create_constraint=True, length=10),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('confirmed_by_citizen_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_by_staff_id', sa.Integer(), nullable=True),
        sa.Column('confirmation_note', sa.Text(), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_by', sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'],
                                name=op.f('fk_relative_citizen_id_citizen')),
        sa.ForeignKeyConstraint(['confirmed_by_citizen_id'], ['citizen.id'],
                                name=op.f('fk_relative_confirmed_by_citizen_id_citizen')),
        sa.ForeignKeyConstraint(['confirmed_by_staff_id'], ['staff.id'],
                                name=op.f('fk_relative_confirmed_by_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_relative')),
    )
    with op.batch_alter_table('relative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relative_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relative_id_number_key'), ['id_number_key'],
                              unique=False)
        batch_op.create_index('uq_relative_open', ['citizen_id', 'id_number_key'], unique=True,
                              sqlite_where=sa.text("status <> 'ended'"),
                              postgresql_where=sa.text("status <> 'ended'"))
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relative_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_booking_relative_id_relative'), 'relative',
                                    ['relative_id'], ['id'])
        batch_op.drop_index('uq_booking_active_citizen_slot')
        batch_op.create_index('uq_booking_active_citizen_slot', ['citizen_id', 'slot_id'],
                              unique=True, sqlite_where=OWN, postgresql_where=OWN)
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relative_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_service_case_relative_id_relative'),
                                    'relative', ['relative_id'], ['id'])


def downgrade():
    op.execute("DELETE FROM booking WHERE relative_id IS NOT NULL")
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_case_relative_id_relative'),
                                 type_='foreignkey')
        batch_op.drop_column('relative_id')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index('uq_booking_active_citizen_slot')
        batch_op.create_index('uq_booking_active_citizen_slot', ['citizen_id', 'slot_id'],
                              unique=True, sqlite_where=sa.text(ACTIVE),
                              postgresql_where=sa.text(ACTIVE))
        batch_op.drop_constraint(batch_op.f('fk_booking_relative_id_relative'),
                                 type_='foreignkey')
        batch_op.drop_column('relative_id')
    with op.batch_alter_table('relative', schema=None) as batch_op:
        batch_op.drop_index('uq_relative_open')
        batch_op.drop_index(batch_op.f('ix_relative_id_number_key'))
        batch_op.drop_index(batch_op.f('ix_relative_citizen_id'))
    op.drop_table('relative')
