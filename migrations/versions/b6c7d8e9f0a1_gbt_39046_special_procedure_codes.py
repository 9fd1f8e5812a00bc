"""GB/T 39046-2020's 特别程序种类代码 as the standard's code set A.7 has it: 1 延长审批 on every
extension, 2 除延长审批之外的情况 on every suspension (the kind's name travels as free text)

Revision ID: b6c7d8e9f0a1
Revises: a5b6c7d8e9f0
Create Date: 2026-12-08 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6c7d8e9f0a1'
down_revision = 'a5b6c7d8e9f0'
branch_labels = None
depends_on = None

# The per-kind codes the suspensions were stored with before (not the standard's).
_OLD_CODES = {'hearing': '3', 'tender': '4', 'auction': '5', 'inspection': '6', 'testing': '7',
              'quarantine': '8', 'appraisal': '9', 'expert_review': 'A', 'survey': 'B',
              'other': 'Z'}


def upgrade():
    op.execute("UPDATE case_suspension SET gbt_code = '2'")
    with op.batch_alter_table('case_suspension', schema=None) as batch_op:
        batch_op.alter_column('gbt_code', existing_type=sa.String(length=4),
                              type_=sa.String(length=1), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_case_suspension_gbt_code_suspension'), "gbt_code = '2'")
    with op.batch_alter_table('case_extension', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gbt_code', sa.String(length=1), nullable=False,
                                      server_default='1'))
        batch_op.create_check_constraint(op.f('ck_case_extension_gbt_code_extension'), "gbt_code = '1'")
    with op.batch_alter_table('case_extension', schema=None) as batch_op:
        batch_op.alter_column('gbt_code', existing_type=sa.String(length=1),
                              server_default=None, existing_nullable=False)


def downgrade():
    with op.batch_alter_table('case_extension', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_extension_gbt_code_extension'), type_='check')
        batch_op.drop_column('gbt_code')
    with op.batch_alter_table('case_suspension', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_suspension_gbt_code_suspension'), type_='check')
        batch_op.alter_column('gbt_code', existing_type=sa.String(length=1),
                              type_=sa.String(length=4), existing_nullable=False)
    for kind, code in _OLD_CODES.items():
        op.execute(f"UPDATE case_suspension SET gbt_code = '{code}' WHERE kind = '{kind}'")
