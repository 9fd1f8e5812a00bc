"""catalogue, calendar and people

Revision ID: a6c06455ac79
Revises: 
Create Date: 2026-11-28 03:17:12.772485

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6c06455ac79'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_notice',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_notice'))
    )
    op.create_table('calendar_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=True),
    sa.Column('notice_year', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_override')),
    sa.UniqueConstraint('date', name=op.f('uq_calendar_override_date'))
    )
    with op.batch_alter_table('calendar_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_override_notice_year'), ['notice_year'], unique=False)

    op.create_table('citizen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=False),
    sa.Column('unionid', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=True),
    sa.Column('phone_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('id_number_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen')),
    sa.UniqueConstraint('openid', name=op.f('uq_citizen_openid'))
    )
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('code', name=op.f('uq_department_code'))
    )
    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('level', sa.Enum('district', 'department_hall', 'town', 'village', name='place_level', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['place.id'], name=op.f('fk_place_parent_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('code', name=op.f('uq_place_code'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_parent_id'), ['parent_id'], unique=False)

    op.create_table('schedule_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('regular', 'extended', 'weekend', 'holiday', name='slot_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('weekdays', sa.String(length=13), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_schedule_rule_capacity_positive')),
    sa.CheckConstraint('slot_minutes > 0', name=op.f('ck_schedule_rule_slot_minutes_positive')),
    sa.CheckConstraint('start_time < end_time', name=op.f('ck_schedule_rule_start_before_end')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_schedule_rule_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_rule'))
    )
    with op.batch_alter_table('schedule_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_rule_place_id'), ['place_id'], unique=False)

    op.create_table('service_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('commitment_days', sa.Integer(), nullable=False),
    sa.Column('fee', sa.String(length=200), nullable=True),
    sa.Column('offers_assist', sa.Boolean(), nullable=False),
    sa.Column('offers_proxy', sa.Boolean(), nullable=False),
    sa.CheckConstraint('commitment_days > 0', name=op.f('ck_service_item_commitment_days_positive')),
    sa.CheckConstraint('offers_assist OR offers_proxy', name=op.f('ck_service_item_offers_help')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_service_item_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_item')),
    sa.UniqueConstraint('code', name=op.f('uq_service_item_code'))
    )
    with op.batch_alter_table('service_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_item_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_item_department_id'), ['department_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('agent', 'place_manager', 'district_admin', 'inspector', name='staff_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_staff_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_department_id'), ['department_id'], unique=False)

    op.create_table('station',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_station_department_id_department')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_station_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station')),
    sa.UniqueConstraint('place_id', 'department_id', name=op.f('uq_station_place_id_department_id'))
    )
    with op.batch_alter_table('station', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_department_id'), ['department_id'], unique=False)

    op.create_table('agent_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_agent_registration_staff_id_staff'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_agent_registration_station_id_station'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_registration')),
    sa.UniqueConstraint('staff_id', 'station_id', name=op.f('uq_agent_registration_staff_id_station_id'))
    )
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_registration_station_id'), ['station_id'], unique=False)

    op.create_table('item_department',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_item_department_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_item_department_item_id_service_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'department_id', name=op.f('pk_item_department'))
    )
    with op.batch_alter_table('item_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_department_department_id'), ['department_id'], unique=False)

    op.create_table('item_place',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_item_place_item_id_service_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_item_place_place_id_place'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'place_id', name=op.f('pk_item_place'))
    )
    with op.batch_alter_table('item_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_place_place_id'), ['place_id'], unique=False)

    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('original', sa.Boolean(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('how_to_obtain', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('copies > 0', name=op.f('ck_material_copies_positive')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_material_item_id_service_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material')),
    sa.UniqueConstraint('item_id', 'code', name=op.f('uq_material_item_id_code'))
    )
    op.create_table('rota_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_rota_entry_place_id_place')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_rota_entry_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rota_entry')),
    sa.UniqueConstraint('place_id', 'date', 'staff_id', name=op.f('uq_rota_entry_place_id_date_staff_id'))
    )
    with op.batch_alter_table('rota_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rota_entry_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_rota_entry_staff_id'), ['staff_id'], unique=False)

    op.create_table('staff_place',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_staff_place_place_id_place'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_place_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'place_id', name=op.f('pk_staff_place'))
    )
    with op.batch_alter_table('staff_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_place_place_id'), ['place_id'], unique=False)



def downgrade():
    with op.batch_alter_table('staff_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_place_place_id'))

    op.drop_table('staff_place')
    with op.batch_alter_table('rota_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rota_entry_staff_id'))
        batch_op.drop_index(batch_op.f('ix_rota_entry_date'))

    op.drop_table('rota_entry')
    op.drop_table('material')
    with op.batch_alter_table('item_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_place_place_id'))

    op.drop_table('item_place')
    with op.batch_alter_table('item_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_department_department_id'))

    op.drop_table('item_department')
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_registration_station_id'))

    op.drop_table('agent_registration')
    with op.batch_alter_table('station', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_department_id'))

    op.drop_table('station')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_department_id'))

    op.drop_table('staff')
    with op.batch_alter_table('service_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_item_department_id'))
        batch_op.drop_index(batch_op.f('ix_service_item_category'))

    op.drop_table('service_item')
    with op.batch_alter_table('schedule_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_rule_place_id'))

    op.drop_table('schedule_rule')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_parent_id'))

    op.drop_table('place')
    op.drop_table('department')
    op.drop_table('citizen')
    with op.batch_alter_table('calendar_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_override_notice_year'))

    op.drop_table('calendar_override')
    op.drop_table('calendar_notice')
