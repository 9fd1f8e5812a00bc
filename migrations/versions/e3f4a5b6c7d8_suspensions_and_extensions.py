"""特别程序 and 延长 (行政许可法 §45, §42): a case's suspensions (and 中止) and extensions; the
suspension under way on the case

Revision ID: e3f4a5b6c7d8
Revises: d2e3f4a5b6c7
Create Date: 2026-12-07 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3f4a5b6c7d8'
down_revision = 'd2e3f4a5b6c7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_suspension',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('gbt_code', sa.String(length=4), nullable=False),
        sa.Column('cause', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('expected_days', sa.Integer(), nullable=True),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.Column('working_days', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('hearing', 'tender', 'auction', 'inspection', 'testing', "
                           "'quarantine', 'appraisal', 'expert_review', 'survey', 'other')",
                           name=op.f('ck_case_suspension_kind_known')),
        sa.CheckConstraint("cause IN ('procedure', 'applicant')",
                           name=op.f('ck_case_suspension_cause_known')),
        sa.ForeignKeyConstraint(['case_id'], ['service_case.id'],
                                name=op.f('fk_case_suspension_case_id_service_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ended_by_id'], ['staff.id'],
                                name=op.f('fk_case_suspension_ended_by_id_staff')),
        sa.ForeignKeyConstraint(['started_by_id'], ['staff.id'],
                                name=op.f('fk_case_suspension_started_by_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_suspension')),
    )
    with op.batch_alter_table('case_suspension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_suspension_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_suspension_started_on'), ['started_on'],
                              unique=False)
    op.create_table(
        'case_extension',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=False),
        sa.Column('due_before', sa.Date(), nullable=False),
        sa.Column('due_after', sa.Date(), nullable=False),
        sa.CheckConstraint('days > 0', name=op.f('ck_case_extension_days_positive')),
        sa.ForeignKeyConstraint(['case_id'], ['service_case.id'],
                                name=op.f('fk_case_extension_case_id_service_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'],
                                name=op.f('fk_case_extension_decided_by_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_extension')),
    )
    with op.batch_alter_table('case_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_extension_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_extension_decided_at'), ['decided_at'],
                              unique=False)
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_since', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_column('suspended_since')
    with op.batch_alter_table('case_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_extension_decided_at'))
        batch_op.drop_index(batch_op.f('ix_case_extension_case_id'))
    op.drop_table('case_extension')
    with op.batch_alter_table('case_suspension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_suspension_started_on'))
        batch_op.drop_index(batch_op.f('ix_case_suspension_case_id'))
    op.drop_table('case_suspension')
