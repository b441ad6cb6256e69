"""Duties: office work waiting for an official outside a document's chain

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 01:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'duties',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('official_id', _ID, nullable=False),
        sa.Column('subject_kind', sa.Enum('incoming_request', 'supervision_item', 'proposal', 'document_plan',
                                          name='duty_subject_kind', native_enum=False, length=40), nullable=False),
        sa.Column('subject_id', _ID, nullable=False),
        sa.Column('task', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('article', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('settled_by_id', _ID, nullable=True),
        sa.Column('settled_route', sa.Enum('direct', 'ab_partner', 'presiding', 'entrusted', 'named', 'deputy',
                                           'escalated', name='duty_settled_route', native_enum=False, length=40),
                  nullable=True),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['official_id'], ['officials.id']),
        sa.ForeignKeyConstraint(['settled_by_id'], ['officials.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_duties_county_id', 'duties', ['county_id'])
    op.create_index('uq_duties_open_task', 'duties', ['subject_kind', 'subject_id', 'task', 'official_id'],
                    unique=True, postgresql_where=sa.text('settled_at IS NULL'),
                    sqlite_where=sa.text('settled_at IS NULL'))
    op.create_index('ix_duties_open_by_official', 'duties', ['official_id', 'created_at'],
                    postgresql_where=sa.text('settled_at IS NULL'), sqlite_where=sa.text('settled_at IS NULL'))


def downgrade() -> None:
    op.drop_table('duties')
