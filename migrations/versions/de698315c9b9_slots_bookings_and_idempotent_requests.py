"""slots, bookings and idempotent requests

Revision ID: de698315c9b9
Revises: a6c06455ac79
Create Date: 2026-11-28 03:22:05.042352

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'de698315c9b9'
down_revision = 'a6c06455ac79'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idempotent_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('endpoint', sa.String(length=100), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotent_request')),
    sa.UniqueConstraint('owner', 'key', name=op.f('uq_idempotent_request_owner_key'))
    )
    with op.batch_alter_table('idempotent_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotent_request_created_at'), ['created_at'], unique=False)

    op.create_table('slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('kind', sa.Enum('regular', 'extended', 'weekend', 'holiday', name='slot_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_slot_booked_within_capacity')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_slot_capacity_positive')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_slot_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot')),
    sa.UniqueConstraint('place_id', 'date', 'start_time', name=op.f('uq_slot_place_id_date_start_time'))
    )
    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('help_type', sa.String(length=10), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('booked', 'cancelled', 'checked_in', 'no_show', name='booking_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('no_show_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['staff.id'], name=op.f('fk_booking_checked_in_by_id_staff')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_booking_citizen_id_citizen')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_booking_item_id_service_item')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_booking_place_id_place')),
    sa.ForeignKeyConstraint(['slot_id'], ['slot.id'], name=op.f('fk_booking_slot_id_slot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking')),
    sa.UniqueConstraint('code', name=op.f('uq_booking_code'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index('uq_booking_active_citizen_slot', ['citizen_id', 'slot_id'], unique=True, sqlite_where=sa.text("status IN ('booked', 'checked_in')"), postgresql_where=sa.text("status IN ('booked', 'checked_in')"))

    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_column('blocked_until')

    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index('uq_booking_active_citizen_slot', sqlite_where=sa.text("status IN ('booked', 'checked_in')"), postgresql_where=sa.text("status IN ('booked', 'checked_in')"))
        batch_op.drop_index(batch_op.f('ix_booking_slot_id'))
        batch_op.drop_index(batch_op.f('ix_booking_place_id'))
        batch_op.drop_index(batch_op.f('ix_booking_citizen_id'))

    op.drop_table('booking')
    op.drop_table('slot')
    with op.batch_alter_table('idempotent_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotent_request_created_at'))

    op.drop_table('idempotent_request')
