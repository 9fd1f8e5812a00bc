"""seats kept offline: a schedule's and a slot's reserved and walk-in seats, each pool's count,
the pool a booking's seat came from, and special groups confirmed by staff

Revision ID: d0e1f2a3b4c5
Revises: c9d0e1f2a3b4
Create Date: 2026-12-07 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0e1f2a3b4c5'
down_revision = 'c9d0e1f2a3b4'
branch_labels = None
depends_on = None

POOLS_WITHIN = "reserved >= 0 AND walk_in >= 0 AND reserved + walk_in <= capacity"
NOT_OVERBOOKED = ("reserved_booked >= 0 AND reserved_booked <= reserved "
                  "AND walk_in_booked >= 0 AND walk_in_booked <= walk_in "
                  "AND booked - reserved_booked - walk_in_booked "
                  "<= capacity - reserved - walk_in")


def upgrade():
    with op.batch_alter_table('schedule_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reserved', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('walk_in', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_schedule_rule_pools_within_capacity'),
                                         POOLS_WITHIN)
    with op.batch_alter_table('slot', schema=None) as batch_op:
        for column in ('reserved', 'walk_in', 'reserved_booked', 'walk_in_booked'):
            batch_op.add_column(sa.Column(column, sa.Integer(), server_default='0',
                                          nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_slot_pools_within_capacity'),
                                         POOLS_WITHIN)
        batch_op.create_check_constraint(batch_op.f('ck_slot_pools_not_overbooked'),
                                         NOT_OVERBOOKED)
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'seat', sa.Enum('open', 'reserved', 'walk_in', name='seat_pool', native_enum=False,
                            create_constraint=True, length=10),
            server_default='open', nullable=False))

    op.create_table(
        'special_group_confirmation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('id_number_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('id_number_key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.Enum('disability', 'military', 'pregnant', 'other',
                                  name='special_group_kind', native_enum=False,
                                  create_constraint=True, length=20), nullable=False),
        sa.Column('document', sa.String(length=50), nullable=False),
        sa.Column('place_id', sa.Integer(), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['staff.id'],
                                name=op.f('fk_special_group_confirmation_confirmed_by_id_staff')),
        sa.ForeignKeyConstraint(['ended_by_id'], ['staff.id'],
                                name=op.f('fk_special_group_confirmation_ended_by_id_staff')),
        sa.ForeignKeyConstraint(['place_id'], ['place.id'],
                                name=op.f('fk_special_group_confirmation_place_id_place')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_special_group_confirmation')),
    )
    with op.batch_alter_table('special_group_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_group_confirmation_id_number_key'),
                              ['id_number_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_group_confirmation_place_id'),
                              ['place_id'], unique=False)


def downgrade():
    op.drop_table('special_group_confirmation')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_booking_seat_pool'), type_='check')
        batch_op.drop_column('seat')
    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_slot_pools_not_overbooked'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_slot_pools_within_capacity'), type_='check')
        for column in ('walk_in_booked', 'reserved_booked', 'walk_in', 'reserved'):
            batch_op.drop_column(column)
    with op.batch_alter_table('schedule_rule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_schedule_rule_pools_within_capacity'),
                                 type_='check')
        batch_op.drop_column('walk_in')
        batch_op.drop_column('reserved')
