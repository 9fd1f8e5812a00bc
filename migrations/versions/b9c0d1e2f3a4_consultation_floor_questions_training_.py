"""consultation, floor questions, training and registration proposals, suggestions

Revision ID: b9c0d1e2f3a4
Revises: 9cccbbb86f4a
Create Date: 2026-12-08 00:32:44.075675

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9c0d1e2f3a4'
down_revision = '9cccbbb86f4a'
branch_labels = None
depends_on = None


ROLES_BEFORE = ('agent', 'place_manager', 'district_admin', 'inspector')
ROLES_AFTER = ROLES_BEFORE + ('guide',)


def _roles(values):
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_staff_staff_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_staff_staff_role'), _roles(ROLES_AFTER))
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'answered', 'closed', name='consultation_status', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer_due_on', sa.Date(), nullable=False),
    sa.Column('overdue_warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['staff.id'], name=op.f('fk_consultation_answered_by_id_staff')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_consultation_citizen_id_citizen')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_consultation_item_id_service_item')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_consultation_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_consultation_open_due', ['status', 'answer_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_place_id'), ['place_id'], unique=False)

    op.create_table('floor_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('materials', 'process', 'where', 'time', 'fee', 'booking', 'progress', 'other', name='question_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('outcome', sa.Enum('resolved', 'referred', name='floor_outcome', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_floor_question_item_id_service_item')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_floor_question_place_id_place')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_floor_question_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_floor_question'))
    )
    with op.batch_alter_table('floor_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_floor_question_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_floor_question_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_floor_question_staff_id'), ['staff_id'], unique=False)

    op.create_table('registration_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'refused', name='proposal_status', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_registration_proposal_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['staff.id'], name=op.f('fk_registration_proposal_proposed_by_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_registration_proposal_staff_id_staff'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_registration_proposal_place_id_place'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_registration_proposal_station_id_station'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_proposal'))
    )
    with op.batch_alter_table('registration_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_proposal_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_proposal_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_proposal_station_id'), ['station_id'], unique=False)
        batch_op.create_index('uq_registration_proposal_pending', ['staff_id', 'place_id', 'station_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('service_language',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['staff.id'], name=op.f('fk_service_language_published_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_language')),
    sa.UniqueConstraint('version', name=op.f('uq_service_language_version'))
    )
    op.create_table('suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=50), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'answered', name='suggestion_status', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['staff.id'], name=op.f('fk_suggestion_answered_by_id_staff')),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_suggestion_author_id_staff')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_suggestion_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion'))
    )
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_place_id'), ['place_id'], unique=False)

    op.create_table('training_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=100), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('provider', sa.String(length=100), nullable=False),
    sa.Column('certificate_number', sa.String(length=50), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_training_record_hours_positive')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_training_record_recorded_by_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_training_record_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_record'))
    )
    with op.batch_alter_table('training_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_record_staff_id'), ['staff_id'], unique=False)

    op.create_table('faq_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_faq_entry_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_faq_entry_item_id_service_item')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_faq_entry_place_id_place')),
    sa.ForeignKeyConstraint(['published_by_id'], ['staff.id'], name=op.f('fk_faq_entry_published_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_entry')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_faq_entry_consultation_id'))
    )
    with op.batch_alter_table('faq_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_entry_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_faq_entry_place_id'), ['place_id'], unique=False)

    op.create_table('service_language_ack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('service_language_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['service_language_id'], ['service_language.id'], name=op.f('fk_service_language_ack_service_language_id_service_language')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_service_language_ack_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_language_ack')),
    sa.UniqueConstraint('staff_id', 'service_language_id', name='one_ack_per_version')
    )
    with op.batch_alter_table('service_language_ack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_language_ack_service_language_id'), ['service_language_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_language_ack_staff_id'), ['staff_id'], unique=False)



def downgrade():
    with op.batch_alter_table('service_language_ack', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_language_ack_staff_id'))
        batch_op.drop_index(batch_op.f('ix_service_language_ack_service_language_id'))

    op.drop_table('service_language_ack')
    with op.batch_alter_table('faq_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_entry_place_id'))
        batch_op.drop_index(batch_op.f('ix_faq_entry_item_id'))

    op.drop_table('faq_entry')
    with op.batch_alter_table('training_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_record_staff_id'))

    op.drop_table('training_record')
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_place_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_author_id'))

    op.drop_table('suggestion')
    op.drop_table('service_language')
    with op.batch_alter_table('registration_proposal', schema=None) as batch_op:
        batch_op.drop_index('uq_registration_proposal_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_registration_proposal_station_id'))
        batch_op.drop_index(batch_op.f('ix_registration_proposal_staff_id'))
        batch_op.drop_index(batch_op.f('ix_registration_proposal_place_id'))

    op.drop_table('registration_proposal')
    with op.batch_alter_table('floor_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_floor_question_staff_id'))
        batch_op.drop_index(batch_op.f('ix_floor_question_place_id'))
        batch_op.drop_index(batch_op.f('ix_floor_question_asked_at'))

    op.drop_table('floor_question')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_place_id'))
        batch_op.drop_index('ix_consultation_open_due')
        batch_op.drop_index(batch_op.f('ix_consultation_item_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_citizen_id'))

    op.drop_table('consultation')
    # A guide's account stays (its history points at it), stopped, as the narrowest role.
    op.execute("UPDATE staff SET role = 'agent', active = false WHERE role = 'guide'")
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_staff_staff_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_staff_staff_role'), _roles(ROLES_BEFORE))
