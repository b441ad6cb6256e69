"""disclosure: proactive disclosure records, the county's limits and the sweeper's reminders

Counties made before this revision get their rule set's limits (policies/disclosure/<rule set>.csv), as new
counties get them when created.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 03:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_SOURCES = ('document', 'decision', 'proposal_reply')
_STATES = ('pending', 'published', 'exempted')
_EXEMPTIONS = ('state_secret', 'commercial_secret', 'privacy', 'security_stability')

# The limits as this revision ships them, by rule set: (source, working days, article).
_LIMITS = {
    'generic-2022': (('document', 20, '000 §51'), ('decision', 20, '000 §24')),
    'yanjin-2023': (('document', 20, '001 §16'), ('decision', 20, '001 §22')),
    'lulong-2018': (('document', 20, '003 §29'), ('decision', 20, '003 §28')),
}


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        'disclosure_limits',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('source', _enum(_SOURCES, 'disclosure_limit_source'), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('article', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_id', 'source', name='uq_disclosure_limit'),
    )
    op.create_index('ix_disclosure_limits_county_id', 'disclosure_limits', ['county_id'])
    op.create_table(
        'disclosures',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('source', _enum(_SOURCES, 'disclosure_source'), nullable=False),
        sa.Column('source_id', _ID, nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('state', _enum(_STATES, 'disclosure_state'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('due_article', sa.String(length=120), nullable=True),
        sa.Column('due_problem', sa.Text(), nullable=True),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('published_where', sa.String(length=300), nullable=True),
        sa.Column('published_by_id', _ID, nullable=True),
        sa.Column('exemption', _enum(_EXEMPTIONS, 'disclosure_exemption'), nullable=True),
        sa.Column('exemption_reason', sa.Text(), nullable=True),
        sa.Column('exemption_requested_by_id', _ID, nullable=True),
        sa.Column('exemption_approved_by_id', _ID, nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['exemption_approved_by_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['exemption_requested_by_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['published_by_id'], ['officials.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source', 'source_id', name='uq_disclosure_source'),
    )
    op.create_index('ix_disclosures_county_state', 'disclosures', ['county_id', 'state'])
    op.create_table(
        'disclosure_reminders',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('disclosure_id', _ID, nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('disclosure_id'),
    )
    op.create_index('ix_disclosure_reminders_county_id', 'disclosure_reminders', ['county_id'])

    limits = sa.table('disclosure_limits', sa.column('county_id', sa.Integer), sa.column('source', sa.String),
                      sa.column('working_days', sa.Integer), sa.column('article', sa.String))
    for county_id, rule_set in op.get_bind().execute(sa.text('SELECT id, rule_set FROM counties')).all():
        op.bulk_insert(limits, [{'county_id': county_id, 'source': source, 'working_days': days, 'article': article}
                                for source, days, article in _LIMITS[rule_set]])


def downgrade() -> None:
    op.drop_table('disclosure_reminders')
    op.drop_table('disclosures')
    op.drop_table('disclosure_limits')
