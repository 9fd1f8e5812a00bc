"""the 代办 commission (委托书 scope and validity, 终止 and the status `terminated`) and the
results a return receipt hands over

Revision ID: f4a5b6c7d8e9
Revises: e3f4a5b6c7d8
Create Date: 2026-12-07 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4a5b6c7d8e9'
down_revision = 'e3f4a5b6c7d8'
branch_labels = None
depends_on = None

BEFORE = ('submitted', 'materials_incomplete', 'accepted', 'handed_over', 'in_progress',
          'completed', 'returned', 'withdrawn', 'rejected')
AFTER = BEFORE + ('terminated',)


def _status(values):
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_service_case_case_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_service_case_case_status'), _status(AFTER))
        batch_op.add_column(sa.Column('commission_scope', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('commission_valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('terminated_by', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('termination_reason', sa.Text(), nullable=True))
    op.create_table(
        'receipt_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('receipt_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('copies', sa.Integer(), nullable=False),
        sa.CheckConstraint('copies > 0', name=op.f('ck_receipt_result_copies_positive')),
        sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'],
                                name=op.f('fk_receipt_result_receipt_id_receipt'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_result')),
    )
    with op.batch_alter_table('receipt_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_result_receipt_id'), ['receipt_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('receipt_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_result_receipt_id'))
    op.drop_table('receipt_result')
    op.execute("UPDATE service_case SET status = 'withdrawn' WHERE status = 'terminated'")
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_column('termination_reason')
        batch_op.drop_column('terminated_by')
        batch_op.drop_column('commission_valid_until')
        batch_op.drop_column('commission_scope')
        batch_op.drop_constraint(batch_op.f('ck_service_case_case_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_service_case_case_status'),
                                         _status(BEFORE))
