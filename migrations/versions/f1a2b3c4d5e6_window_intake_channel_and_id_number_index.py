"""window intake: a case's channel, walk-in cases without an account, ID numbers' blind index

Revision ID: f1a2b3c4d5e6
Revises: 5d2f8a1c3e7b
Create Date: 2026-12-07 19:00:00.000000

"""
import hashlib
import hmac

from alembic import op
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = '5d2f8a1c3e7b'
branch_labels = None
depends_on = None


def _index_existing_id_numbers():
    """The blind index of the ID numbers already stored (as personal_data.id_number_key makes
    it, written out here so that this migration keeps meaning what it meant)."""
    data_key = current_app.config["DATA_KEY"].encode()
    fernet = Fernet(data_key)
    key = hmac.new(data_key, b"id-number-index", hashlib.sha256).digest()
    conn = op.get_bind()
    for table, encrypted, indexed in (("citizen", "id_number_encrypted", "id_number_key"),
                                      ("service_case", "applicant_id_number_encrypted",
                                       "applicant_id_number_key")):
        rows = conn.execute(sa.text(
            f"SELECT id, {encrypted} FROM {table} WHERE {encrypted} IS NOT NULL")).all()
        for row_id, token in rows:
            number = fernet.decrypt(bytes(token))
            conn.execute(sa.text(f"UPDATE {table} SET {indexed} = :k WHERE id = :id"),
                         {"k": hmac.new(key, number, hashlib.sha256).hexdigest(), "id": row_id})


def upgrade():
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_citizen_id_number_key'), ['id_number_key'],
                              unique=False)
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='online',
                                      nullable=False))
        batch_op.add_column(sa.Column('applicant_id_number_key', sa.String(length=64),
                                      nullable=True))
        batch_op.alter_column('citizen_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_service_case_applicant_id_number_key'),
                              ['applicant_id_number_key'], unique=False)
        batch_op.create_check_constraint(batch_op.f('ck_service_case_channel_known'),
                                         "channel IN ('online', 'window')")
        batch_op.create_check_constraint(batch_op.f('ck_service_case_online_has_citizen'),
                                         "channel = 'window' OR citizen_id IS NOT NULL")
    _index_existing_id_numbers()


def downgrade():
    # Window cases without an account cannot be kept by the older schema.
    op.execute("DELETE FROM service_case WHERE citizen_id IS NULL")
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_service_case_online_has_citizen'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_service_case_channel_known'), type_='check')
        batch_op.drop_index(batch_op.f('ix_service_case_applicant_id_number_key'))
        batch_op.alter_column('citizen_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('applicant_id_number_key')
        batch_op.drop_column('channel')
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_id_number_key'))
        batch_op.drop_column('id_number_key')
