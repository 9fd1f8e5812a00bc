"""village points, forwarding and coordination meetings: a registration names its place (a village agent's has no
station); a forwarded case keeps its village agent as the applicant's contact; coordination
meetings with their attendees, blockers and decisions; working standards, inspection visits and
通报; key projects, their members and the cases grouped under them

Revision ID: c7d8e9f0a1b2
Revises: b9c0d1e2f3a4
Create Date: 2026-12-08 00:33:34.932640

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d8e9f0a1b2'
down_revision = 'b9c0d1e2f3a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_id', sa.Integer(), nullable=True))
    # Every registration so far is at a station: its place is the station's.
    op.execute("UPDATE agent_registration SET place_id = (SELECT station.place_id FROM station "
               "WHERE station.id = agent_registration.station_id)")
    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.alter_column('place_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('station_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_agent_registration_place_id'), ['place_id'], unique=False)
        batch_op.create_index('uq_agent_registration_village_current', ['staff_id', 'place_id'], unique=True, sqlite_where=sa.text('ended_on IS NULL AND station_id IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND station_id IS NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_agent_registration_place_id_place'), 'place', ['place_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_agent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_case_contact_agent_id'), ['contact_agent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_service_case_contact_agent_id_staff'), 'staff', ['contact_agent_id'], ['id'])

    op.create_table('coordination_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('convener_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['convener_id'], ['staff.id'], name=op.f('fk_coordination_meeting_convener_id_staff')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_coordination_meeting_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordination_meeting'))
    )
    with op.batch_alter_table('coordination_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coordination_meeting_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordination_meeting_place_id'), ['place_id'], unique=False)

    op.create_table('meeting_attendee',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['coordination_meeting.id'], name=op.f('fk_meeting_attendee_meeting_id_coordination_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_meeting_attendee_staff_id_staff')),
    sa.PrimaryKeyConstraint('meeting_id', 'staff_id', name=op.f('pk_meeting_attendee'))
    )
    with op.batch_alter_table('meeting_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendee_staff_id'), ['staff_id'], unique=False)

    op.create_table('meeting_department',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_meeting_department_department_id_department')),
    sa.ForeignKeyConstraint(['meeting_id'], ['coordination_meeting.id'], name=op.f('fk_meeting_department_meeting_id_coordination_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'department_id', name=op.f('pk_meeting_department'))
    )
    with op.batch_alter_table('meeting_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_department_department_id'), ['department_id'], unique=False)

    op.create_table('meeting_blocker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_meeting_blocker_escalation_id_escalation')),
    sa.ForeignKeyConstraint(['meeting_id'], ['coordination_meeting.id'], name=op.f('fk_meeting_blocker_meeting_id_coordination_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_blocker'))
    )
    with op.batch_alter_table('meeting_blocker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_blocker_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_blocker_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_meeting_decision_escalation_id_escalation')),
    sa.ForeignKeyConstraint(['meeting_id'], ['coordination_meeting.id'], name=op.f('fk_meeting_decision_meeting_id_coordination_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_meeting_decision_owner_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_decision'))
    )
    with op.batch_alter_table('meeting_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_decision_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_decision_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_decision_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_decision_owner_id'), ['owner_id'], unique=False)

    op.create_table('bulletin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('commendation', 'criticism')", name=op.f('ck_bulletin_kind_known')),
    sa.ForeignKeyConstraint(['published_by_id'], ['staff.id'], name=op.f('fk_bulletin_published_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin')),
    sa.UniqueConstraint('number', name=op.f('uq_bulletin_number'))
    )
    with op.batch_alter_table('bulletin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_published_at'), ['published_at'], unique=False)

    op.create_table('inspection_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('followup_due', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_inspection_visit_department_id_department')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_inspection_visit_place_id_place')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_inspection_visit_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_visit'))
    )
    with op.batch_alter_table('inspection_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_visit_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_visit_visited_on'), ['visited_on'], unique=False)

    op.create_table('working_standard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('min_on_time_rate', sa.Float(), nullable=True),
    sa.Column('min_satisfaction', sa.Float(), nullable=True),
    sa.Column('max_notice_violations', sa.Integer(), nullable=True),
    sa.Column('max_registry_gaps', sa.Integer(), nullable=True),
    sa.Column('max_deemed_acceptances', sa.Integer(), nullable=True),
    sa.Column('min_consultations_answered_in_day', sa.Float(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('period_start <= period_end', name=op.f('ck_working_standard_period_ordered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], name=op.f('fk_working_standard_created_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_standard')),
    sa.UniqueConstraint('period_start', 'period_end', name=op.f('uq_working_standard_period_start_period_end'))
    )
    op.create_table('bulletin_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('unit_kind', sa.String(length=20), nullable=False),
    sa.Column('unit_code', sa.String(length=50), nullable=False),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('on_time_rate', sa.Float(), nullable=True),
    sa.Column('satisfaction', sa.Float(), nullable=True),
    sa.Column('notice_violations', sa.Integer(), nullable=False),
    sa.Column('deemed_acceptances', sa.Integer(), nullable=False),
    sa.Column('registry_gaps', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletin.id'], name=op.f('fk_bulletin_entry_bulletin_id_bulletin'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin_entry'))
    )
    with op.batch_alter_table('bulletin_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_entry_bulletin_id'), ['bulletin_id'], unique=False)

    op.create_table('inspection_inspector',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_inspection_inspector_staff_id_staff')),
    sa.ForeignKeyConstraint(['visit_id'], ['inspection_visit.id'], name=op.f('fk_inspection_inspector_visit_id_inspection_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'staff_id', name=op.f('pk_inspection_inspector'))
    )
    with op.batch_alter_table('inspection_inspector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_inspector_staff_id'), ['staff_id'], unique=False)

    op.create_table('key_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('enterprise_name', sa.String(length=100), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('steward_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], name=op.f('fk_key_project_created_by_id_staff')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_key_project_place_id_place')),
    sa.ForeignKeyConstraint(['steward_id'], ['staff.id'], name=op.f('fk_key_project_steward_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_project')),
    sa.UniqueConstraint('code', name=op.f('uq_key_project_code'))
    )
    with op.batch_alter_table('key_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_project_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_project_steward_id'), ['steward_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_project_uscc'), ['uscc'], unique=False)

    op.create_table('key_project_member',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['key_project.id'], name=op.f('fk_key_project_member_project_id_key_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_key_project_member_staff_id_staff')),
    sa.PrimaryKeyConstraint('project_id', 'staff_id', name=op.f('pk_key_project_member'))
    )
    with op.batch_alter_table('key_project_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_project_member_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_case_project_id'), ['project_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_service_case_project_id_key_project'), 'key_project', ['project_id'], ['id'])


def downgrade():
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_case_project_id_key_project'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_service_case_project_id'))
        batch_op.drop_column('project_id')

    with op.batch_alter_table('key_project_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_project_member_staff_id'))

    op.drop_table('key_project_member')
    with op.batch_alter_table('key_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_project_uscc'))
        batch_op.drop_index(batch_op.f('ix_key_project_steward_id'))
        batch_op.drop_index(batch_op.f('ix_key_project_place_id'))

    op.drop_table('key_project')

    with op.batch_alter_table('inspection_inspector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_inspector_staff_id'))

    op.drop_table('inspection_inspector')
    with op.batch_alter_table('bulletin_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_entry_bulletin_id'))

    op.drop_table('bulletin_entry')
    op.drop_table('working_standard')
    with op.batch_alter_table('inspection_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_visit_visited_on'))
        batch_op.drop_index(batch_op.f('ix_inspection_visit_place_id'))

    op.drop_table('inspection_visit')
    with op.batch_alter_table('bulletin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_published_at'))

    op.drop_table('bulletin')

    with op.batch_alter_table('meeting_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_decision_owner_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_decision_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_decision_escalation_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_decision_due_on'))

    op.drop_table('meeting_decision')
    with op.batch_alter_table('meeting_blocker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_blocker_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_blocker_escalation_id'))

    op.drop_table('meeting_blocker')
    with op.batch_alter_table('meeting_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_department_department_id'))

    op.drop_table('meeting_department')
    with op.batch_alter_table('meeting_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendee_staff_id'))

    op.drop_table('meeting_attendee')
    with op.batch_alter_table('coordination_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coordination_meeting_place_id'))
        batch_op.drop_index(batch_op.f('ix_coordination_meeting_held_on'))

    op.drop_table('coordination_meeting')

    # A village agent's registration has no station to go back to.
    op.execute("DELETE FROM agent_registration WHERE station_id IS NULL")
    with op.batch_alter_table('service_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_case_contact_agent_id_staff'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_service_case_contact_agent_id'))
        batch_op.drop_column('contact_agent_id')

    with op.batch_alter_table('agent_registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agent_registration_place_id_place'), type_='foreignkey')
        batch_op.drop_index('uq_agent_registration_village_current', sqlite_where=sa.text('ended_on IS NULL AND station_id IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND station_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_agent_registration_place_id'))
        batch_op.alter_column('station_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('place_id')
