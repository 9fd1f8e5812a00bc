"""收件 and 视为受理 (行政许可法 §32): a case's day of receipt, and whether the law accepted it

Revision ID: d2e3f4a5b6c7
Revises: d0e1f2a3b4c5
Create Date: 2026-12-07 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2e3f4a5b6c7'
down_revision = 'd0e1f2a3b4c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('deemed_accepted', sa.Boolean(),
                                      server_default=sa.text('false'), nullable=False))
    # Cases made before: received the (local) day they were applied for.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE service_case SET received_on = "
                   "CAST(timezone('Asia/Shanghai', created_at) AS DATE)")
    else:
        op.execute("UPDATE service_case SET received_on = date(created_at, '+8 hours')")
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.alter_column('received_on', existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_column('deemed_accepted')
        batch_op.drop_column('received_on')
