"""Meetings: agenda pipeline, materials, matter catalogue

Items now belong to a body and reach a meeting through the pipeline (proposed → … → scheduled → noticed);
an item already listed on a meeting becomes scheduled, or noticed when the meeting's notice has gone out.
Counties made before this revision get their rule set's collective-matter catalogue here, as new counties
do when created.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 22:10:00
"""

from alembic import op
import sqlalchemy as sa

import db.models
from domain.roster import RuleSet
from policies.meetings_matters import read_matters, stored_row


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_BODY_KIND = ('plenary', 'standing', 'magistrate_office', 'topical', 'party_group')
_ITEM_STATES = ('proposed', 'coordinated', 'checked', 'accepted', 'scheduled', 'noticed', 'withdrawn', 'open',
                'voting', 'decided', 'deferred')


def upgrade() -> None:
    op.create_table('collective_matters',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('body_kind', sa.Enum(*_BODY_KIND, name='collective_matter_body_kind', native_enum=False, length=40), nullable=False),
    sa.Column('personnel', sa.Boolean(), nullable=False),
    sa.Column('threshold_wan', sa.Integer(), nullable=True),
    sa.Column('required_materials', sa.JSON(), nullable=False),
    sa.Column('legality_review_lead_days', sa.Integer(), nullable=True),
    sa.Column('article', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'code', name='uq_collective_matter_code')
    )
    with op.batch_alter_table('collective_matters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collective_matters_county_id'), ['county_id'], unique=False)

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('kind', sa.Enum('decision', 'briefing', 'report', 'law_study', 'personnel', name='agenda_item_kind', native_enum=False, length=40), nullable=True))
        batch_op.add_column(sa.Column('matter_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('sponsor_department_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('proposer_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('coordinated_by_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('checked_by_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('accepted_by_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('deferred_from_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('proposed_at', db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('noticed_at', db.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_meeting_after', db.models.UTCDateTime(timezone=True), nullable=True))

    # Items listed on a meeting before this revision: their body is the meeting's; on the notice once it went out.
    op.execute("UPDATE agenda_items SET body_id = (SELECT body_id FROM meetings WHERE meetings.id = agenda_items.meeting_id), "
               "kind = CASE WHEN is_personnel THEN 'personnel' ELSE 'decision' END, "
               "proposed_at = (SELECT COALESCE(notice_sent_at, scheduled_at) FROM meetings WHERE meetings.id = agenda_items.meeting_id)")
    op.execute("UPDATE agenda_items SET state = 'noticed', noticed_at = (SELECT notice_sent_at FROM meetings "
               "WHERE meetings.id = agenda_items.meeting_id) WHERE state = 'listed' AND meeting_id IN "
               "(SELECT id FROM meetings WHERE notice_sent_at IS NOT NULL)")
    op.execute("UPDATE agenda_items SET state = 'scheduled' WHERE state = 'listed'")

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.alter_column('body_id', existing_type=_ID, nullable=False)
        batch_op.alter_column('kind', existing_type=sa.Enum('decision', 'briefing', 'report', 'law_study', 'personnel', name='agenda_item_kind', native_enum=False, length=40), nullable=False)
        batch_op.alter_column('proposed_at', existing_type=db.models.UTCDateTime(timezone=True), nullable=False)
        batch_op.alter_column('meeting_id', existing_type=_ID, nullable=True)
        batch_op.alter_column('state', existing_type=sa.Enum('open', 'voting', 'decided', 'deferred', name='agenda_item_state', native_enum=False, length=40),
                              type_=sa.Enum(*_ITEM_STATES, name='agenda_item_state', native_enum=False, length=40), existing_nullable=False)
        batch_op.create_foreign_key('fk_agenda_items_body_id', 'meeting_bodies', ['body_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_matter_id', 'collective_matters', ['matter_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_sponsor_department_id', 'departments', ['sponsor_department_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_proposer_id', 'officials', ['proposer_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_coordinated_by_id', 'officials', ['coordinated_by_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_checked_by_id', 'officials', ['checked_by_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_accepted_by_id', 'officials', ['accepted_by_id'], ['id'])
        batch_op.create_foreign_key('fk_agenda_items_deferred_from_id', 'agenda_items', ['deferred_from_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_agenda_items_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_state'), ['state'], unique=False)

    op.create_table('agenda_item_materials',
    sa.Column('id', _ID, nullable=False),
    sa.Column('county_id', _ID, nullable=False),
    sa.Column('item_id', _ID, nullable=False),
    sa.Column('kind', sa.Enum('request', 'draft_and_explanation', 'options', 'legal_basis', 'opinion_summary', 'expert_opinion', 'risk_assessment', 'legality_opinion', 'consultation_reply', name='agenda_material_kind', native_enum=False, length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('sent_for_review_on', sa.Date(), nullable=True),
    sa.Column('consulted_unit', sa.String(length=200), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('reply_by', sa.Date(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('added_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_item_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_materials_item_id'), ['item_id'], unique=False)

    matters = sa.table('collective_matters', sa.column('county_id', sa.BigInteger()), sa.column('code', sa.String()),
                       sa.column('name', sa.String()), sa.column('body_kind', sa.String()),
                       sa.column('personnel', sa.Boolean()), sa.column('threshold_wan', sa.Integer()),
                       sa.column('required_materials', sa.JSON()), sa.column('legality_review_lead_days', sa.Integer()),
                       sa.column('article', sa.String()))
    counties = op.get_bind().execute(sa.text("SELECT id, rule_set FROM counties")).all()
    rows = [{**stored_row(spec), "county_id": county_id, "body_kind": spec.body_kind.value}
            for county_id, rule_set in counties for spec in read_matters(RuleSet(rule_set))]
    if rows:
        op.bulk_insert(matters, rows)


def downgrade() -> None:
    with op.batch_alter_table('agenda_item_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_materials_item_id'))
    op.drop_table('agenda_item_materials')

    # Items not on a meeting cannot be kept by the earlier schema; those on one become listed again.
    op.execute("DELETE FROM agenda_items WHERE meeting_id IS NULL")
    op.execute("UPDATE agenda_items SET state = 'listed' WHERE state IN ('scheduled', 'noticed')")
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_state'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_body_id'))
        for name in ('deferred_from_id', 'accepted_by_id', 'checked_by_id', 'coordinated_by_id', 'proposer_id',
                     'sponsor_department_id', 'matter_id', 'body_id'):
            batch_op.drop_constraint(f'fk_agenda_items_{name}', type_='foreignkey')
        batch_op.alter_column('meeting_id', existing_type=_ID, nullable=False)
        for name in ('next_meeting_after', 'noticed_at', 'proposed_at', 'deferred_from_id', 'accepted_by_id', 'checked_by_id',
                     'coordinated_by_id', 'proposer_id', 'sponsor_department_id', 'matter_id', 'kind', 'body_id'):
            batch_op.drop_column(name)

    with op.batch_alter_table('collective_matters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collective_matters_county_id'))
    op.drop_table('collective_matters')
