"""admin portal: places' self-service devices flag; indexes for the admin's case list

Revision ID: e7a1c9d2b4f6
Revises: c3d1e5a7b9f2
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a1c9d2b4f6'
down_revision = 'c3d1e5a7b9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_service_devices', sa.Boolean(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.create_index('ix_service_case_place_status_created',
                              ['place_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_service_case_place_status_due',
                              ['place_id', 'status', 'due_date', 'amber_on'], unique=False)


def downgrade():
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_index('ix_service_case_place_status_due')
        batch_op.drop_index('ix_service_case_place_status_created')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_column('self_service_devices')
