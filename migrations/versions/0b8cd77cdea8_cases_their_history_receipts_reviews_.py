"""cases, their history, receipts, reviews, escalations and audit log

Revision ID: 0b8cd77cdea8
Revises: de698315c9b9
Create Date: 2026-11-28 03:34:08.837423

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b8cd77cdea8'
down_revision = 'de698315c9b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_sequence',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_case_sequence'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_key', sa.String(length=100), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_audit_log_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_staff_id'), ['staff_id'], unique=False)

    op.create_table('service_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('lead_department_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('help_type', sa.String(length=10), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'materials_incomplete', 'accepted', 'handed_over', 'in_progress', 'completed', 'returned', 'withdrawn', 'rejected', name='case_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('applicant_name', sa.String(length=50), nullable=False),
    sa.Column('applicant_phone_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('applicant_id_number_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('enterprise_name', sa.String(length=100), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('special_group', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('amber_on', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('agreement_version', sa.String(length=20), nullable=True),
    sa.Column('agreement_signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agreement_method', sa.String(length=10), nullable=True),
    sa.Column('agreement_openid', sa.String(length=64), nullable=True),
    sa.Column('agreement_recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("help_type IN ('assist', 'proxy')", name=op.f('ck_service_case_help_type_known')),
    sa.ForeignKeyConstraint(['agent_id'], ['staff.id'], name=op.f('fk_service_case_agent_id_staff')),
    sa.ForeignKeyConstraint(['agreement_recorded_by_id'], ['staff.id'], name=op.f('fk_service_case_agreement_recorded_by_id_staff')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_service_case_booking_id_booking')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_service_case_citizen_id_citizen')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_service_case_item_id_service_item')),
    sa.ForeignKeyConstraint(['lead_department_id'], ['department.id'], name=op.f('fk_service_case_lead_department_id_department')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_service_case_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_case')),
    sa.UniqueConstraint('number', name=op.f('uq_service_case_number'))
    )
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_case_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_case_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_case_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_case_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_case_status'), ['status'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('by_citizen', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_case_event_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_case_event_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('declared', sa.Boolean(), nullable=False),
    sa.Column('received_copies', sa.Integer(), nullable=True),
    sa.Column('received_original', sa.Boolean(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_case_material_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_case_material_material_id_material')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_material')),
    sa.UniqueConstraint('case_id', 'material_id', name=op.f('uq_case_material_case_id_material_id'))
    )
    op.create_table('department_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_department_task_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_department_task_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_task')),
    sa.UniqueConstraint('case_id', 'department_id', name=op.f('uq_department_task_case_id_department_id'))
    )
    op.create_table('escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_escalation_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['staff.id'], name=op.f('fk_escalation_raised_by_id_staff')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['staff.id'], name=op.f('fk_escalation_resolved_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation'))
    )
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_case_id'), ['case_id'], unique=False)

    op.create_table('missing_material_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('violates_one_time_rule', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_missing_material_notice_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_missing_material_notice_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_missing_material_notice'))
    )
    with op.batch_alter_table('missing_material_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missing_material_notice_case_id'), ['case_id'], unique=False)

    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('citizen_confirmed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('handover', 'return')", name=op.f('ck_receipt_kind_known')),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_receipt_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_receipt_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_case_id'), ['case_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('followup_due', sa.Date(), nullable=True),
    sa.Column('followup_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('followup_by_id', sa.Integer(), nullable=True),
    sa.Column('followup_callback', sa.Text(), nullable=True),
    sa.Column('followup_fix', sa.Text(), nullable=True),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_review_score_range')),
    sa.ForeignKeyConstraint(['case_id'], ['service_case.id'], name=op.f('fk_review_case_id_service_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['followup_by_id'], ['staff.id'], name=op.f('fk_review_followup_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('case_id', name=op.f('uq_review_case_id'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_followup_due'), ['followup_due'], unique=False)

    op.create_table('notice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_notice_line_material_id_material')),
    sa.ForeignKeyConstraint(['notice_id'], ['missing_material_notice.id'], name=op.f('fk_notice_line_notice_id_missing_material_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_line'))
    )
    with op.batch_alter_table('notice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_line_notice_id'), ['notice_id'], unique=False)

    op.create_table('receipt_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('original', sa.Boolean(), nullable=False),
    sa.CheckConstraint('copies > 0', name=op.f('ck_receipt_line_copies_positive')),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_receipt_line_material_id_material')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_receipt_line_receipt_id_receipt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_line'))
    )
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_line_receipt_id'), ['receipt_id'], unique=False)



def downgrade():
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_line_receipt_id'))

    op.drop_table('receipt_line')
    with op.batch_alter_table('notice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_line_notice_id'))

    op.drop_table('notice_line')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_followup_due'))

    op.drop_table('review')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_case_id'))

    op.drop_table('receipt')
    with op.batch_alter_table('missing_material_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_missing_material_notice_case_id'))

    op.drop_table('missing_material_notice')
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_case_id'))

    op.drop_table('escalation')
    op.drop_table('department_task')
    op.drop_table('case_material')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_case_status'))
        batch_op.drop_index(batch_op.f('ix_service_case_place_id'))
        batch_op.drop_index(batch_op.f('ix_service_case_due_date'))
        batch_op.drop_index(batch_op.f('ix_service_case_citizen_id'))
        batch_op.drop_index(batch_op.f('ix_service_case_agent_id'))

    op.drop_table('service_case')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_staff_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('case_sequence')
