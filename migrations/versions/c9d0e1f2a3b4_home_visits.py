"""home visits (上门代办): a 代办 case's request for a visit, its schedule or decline, its record

Revision ID: c9d0e1f2a3b4
Revises: b8c9d0e1f2a3
Create Date: 2026-12-07 20:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9d0e1f2a3b4'
down_revision = 'b8c9d0e1f2a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'home_visit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('requested', 'scheduled', 'done', 'declined',
                                    name='visit_status', native_enum=False,
                                    create_constraint=True, length=10), nullable=False),
        sa.Column('address_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('preferred_dates', sa.String(length=120), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('date', sa.Date(), nullable=True),
        sa.Column('start', sa.Time(), nullable=True),
        sa.Column('agent_id', sa.Integer(), nullable=True),
        sa.Column('scheduled_by_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['agent_id'], ['staff.id'], name=op.f('fk_home_visit_agent_id_staff')),
        sa.ForeignKeyConstraint(['case_id'], ['service_case.id'],
                                name=op.f('fk_home_visit_case_id_service_case'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['scheduled_by_id'], ['staff.id'],
                                name=op.f('fk_home_visit_scheduled_by_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_home_visit')),
        sa.UniqueConstraint('case_id', name=op.f('uq_home_visit_case_id')),
    )
    with op.batch_alter_table('home_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_home_visit_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_visit_date'), ['date'], unique=False)


def downgrade():
    with op.batch_alter_table('home_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_home_visit_date'))
        batch_op.drop_index(batch_op.f('ix_home_visit_agent_id'))
    op.drop_table('home_visit')
