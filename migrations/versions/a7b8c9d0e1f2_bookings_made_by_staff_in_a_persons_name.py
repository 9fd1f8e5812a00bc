"""bookings made by staff in a person's name: the person (ID number encrypted and its blind
index), who booked, one active booking per person and slot

Revision ID: a7b8c9d0e1f2
Revises: f1a2b3c4d5e6
Create Date: 2026-12-07 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b8c9d0e1f2'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('booked', 'checked_in')")


def upgrade():
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('person_name', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('person_phone_encrypted', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('person_id_number_encrypted', sa.LargeBinary(),
                                      nullable=True))
        batch_op.add_column(sa.Column('person_id_number_key', sa.String(length=64),
                                      nullable=True))
        batch_op.alter_column('citizen_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_booking_booked_by_id_staff'), 'staff',
                                    ['booked_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_booking_person_id_number_key'),
                              ['person_id_number_key'], unique=False)
        batch_op.create_index('uq_booking_active_person_slot', ['person_id_number_key', 'slot_id'],
                              unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.create_check_constraint(
            batch_op.f('ck_booking_has_holder'),
            "citizen_id IS NOT NULL OR person_id_number_key IS NOT NULL")


def downgrade():
    # Bookings without an account cannot be kept by the older schema.
    op.execute("DELETE FROM booking WHERE citizen_id IS NULL")
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_booking_has_holder'), type_='check')
        batch_op.drop_index('uq_booking_active_person_slot')
        batch_op.drop_index(batch_op.f('ix_booking_person_id_number_key'))
        batch_op.drop_constraint(batch_op.f('fk_booking_booked_by_id_staff'), type_='foreignkey')
        batch_op.alter_column('citizen_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('person_id_number_key')
        batch_op.drop_column('person_id_number_encrypted')
        batch_op.drop_column('person_phone_encrypted')
        batch_op.drop_column('person_name')
        batch_op.drop_column('booked_by_id')
