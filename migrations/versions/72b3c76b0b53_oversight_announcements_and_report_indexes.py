"""oversight: announcements and the reports' indexes

Revision ID: 72b3c76b0b53
Revises: e7a1c9d2b4f6
Create Date: 2026-11-29 08:55:32.369561

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '72b3c76b0b53'
down_revision = 'e7a1c9d2b4f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=50), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('starts_on <= ends_on', name=op.f('ck_announcement_starts_before_ends')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], name=op.f('fk_announcement_created_by_id_staff')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['staff.id'], name=op.f('fk_announcement_ended_by_id_staff')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_announcement_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement'))
    )
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.create_index('ix_announcement_current', ['ends_on', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcement_place_id'), ['place_id'], unique=False)

    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_case_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_case_finished_at'), ['finished_at'], unique=False)

    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slot_date'), ['date'], unique=False)



def downgrade():
    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slot_date'))

    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_case_finished_at'))
        batch_op.drop_index(batch_op.f('ix_service_case_created_at'))

    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_place_id'))
        batch_op.drop_index('ix_announcement_current')

    op.drop_table('announcement')
