"""the papers a hall hands the applicant (一次性告知书 … 办结单): which, when, and the record each
prints

Revision ID: a5b6c7d8e9f0
Revises: f4a5b6c7d8e9
Create Date: 2026-12-08 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5b6c7d8e9f0'
down_revision = 'f4a5b6c7d8e9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=50), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=True),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('notice', 'acceptance', 'handover', 'commission', "
                           "'suspension', 'termination', 'return', 'completion')",
                           name=op.f('ck_case_document_kind_known')),
        sa.ForeignKeyConstraint(['case_id'], ['service_case.id'],
                                name=op.f('fk_case_document_case_id_service_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_case_document_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_document')),
    )
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_document_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_document_case_id'))
    op.drop_table('case_document')
