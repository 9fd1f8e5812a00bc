"""audit log: the place each entry belongs to (the operation log's place filter)

Revision ID: 5d2f8a1c3e7b
Revises: b76fbf04a6fc
Create Date: 2026-11-30 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2f8a1c3e7b'
down_revision = 'b76fbf04a6fc'
branch_labels = None
depends_on = None

# Entries written before: the place of the records they name that still exist, found by the
# key they were written with (a code or number, else the row's id).
BACKFILL = {
    "service_case": "SELECT place_id FROM service_case WHERE service_case.number = audit_log.entity_key",
    "booking": "SELECT place_id FROM booking WHERE booking.code = audit_log.entity_key",
    "place": "SELECT id FROM place WHERE place.code = audit_log.entity_key",
    "slot": "SELECT place_id FROM slot WHERE CAST(slot.id AS VARCHAR(20)) = audit_log.entity_key",
    "schedule_rule": "SELECT place_id FROM schedule_rule "
                     "WHERE CAST(schedule_rule.id AS VARCHAR(20)) = audit_log.entity_key",
    "rota_entry": "SELECT place_id FROM rota_entry "
                  "WHERE CAST(rota_entry.id AS VARCHAR(20)) = audit_log.entity_key",
    "announcement": "SELECT place_id FROM announcement "
                    "WHERE CAST(announcement.id AS VARCHAR(20)) = audit_log.entity_key",
}


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_place_id'), ['place_id'], unique=False)
    for entity, place in BACKFILL.items():
        op.execute(sa.text(f"UPDATE audit_log SET place_id = ({place}) WHERE entity = :entity")
                   .bindparams(entity=entity))


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_place_id'))
        batch_op.drop_column('place_id')
