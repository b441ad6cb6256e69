"""roster, accounts and audit

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 14:19:21.421813
"""

from alembic import op
import sqlalchemy as sa

import db.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('counties',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rule_set', sa.Enum('generic-2022', 'yanjin-2023', 'lulong-2018', name='rule_set', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('departments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('working', 'government_office', 'justice', 'audit', 'supervision', 'township', 'subdistrict', 'development_zone', name='department_kind', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'name', name='uq_department_name')
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_county_id'), ['county_id'], unique=False)

    op.create_table('officials',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('rank_order', sa.Integer(), nullable=False),
    sa.Column('retired_on', sa.Date(), nullable=True),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'code', name='uq_official_code')
    )
    with op.batch_alter_table('officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officials_county_id'), ['county_id'], unique=False)

    op.create_table('ab_pairs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_a_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_b_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.CheckConstraint('effective_to IS NULL OR effective_to > effective_from', name='ck_ab_pair_period'),
    sa.CheckConstraint('official_a_id <> official_b_id', name='ck_ab_pair_distinct'),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['official_a_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['official_b_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ab_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ab_pairs_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ab_pairs_official_a_id'), ['official_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ab_pairs_official_b_id'), ['official_b_id'], unique=False)

    op.create_table('absences',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('starts_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Enum('business_trip', 'leave', 'study', 'abroad', 'other', name='absence_reason', native_enum=False, length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('acting_official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('cancelled_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('acting_official_id IS NULL OR acting_official_id <> official_id', name='ck_absence_not_self'),
    sa.CheckConstraint('ends_at > starts_at', name='ck_absence_period'),
    sa.ForeignKeyConstraint(['acting_official_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absences_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_absences_official_period', ['official_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('accounts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('role', sa.Enum('official', 'county_admin', 'system_admin', name='account_role', native_enum=False, length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_county_id'), ['county_id'], unique=False)

    op.create_table('entrustments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entrusting_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entrusted_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('starts_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('cancelled_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name='ck_entrustment_period'),
    sa.CheckConstraint('entrusted_id <> entrusting_id', name='ck_entrustment_not_self'),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['entrusted_id'], ['officials.id'], ),
    sa.ForeignKeyConstraint(['entrusting_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('entrustments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entrustments_county_id'), ['county_id'], unique=False)

    op.create_table('portfolio_assignments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('department_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.CheckConstraint('effective_to IS NULL OR effective_to > effective_from', name='ck_portfolio_period'),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('portfolio_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_assignments_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_assignments_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_assignments_official_id'), ['official_id'], unique=False)

    op.create_table('positions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('official_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.Enum('magistrate', 'executive_vice_magistrate', 'vice_magistrate', 'department_principal', 'department_deputy', name='position_role', native_enum=False, length=40), nullable=False),
    sa.Column('department_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('deputy_rank', sa.Integer(), nullable=True),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.CheckConstraint('effective_to IS NULL OR effective_to > effective_from', name='ck_position_period'),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], ),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_positions_county_role', ['county_id', 'role'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_official_id'), ['official_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_digest')
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_account_id'), ['account_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('entity', sa.String(length=80), nullable=False),
    sa.Column('entity_id', sa.BigInteger(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'seq', name='uq_audit_seq')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_county_id'), ['county_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_county_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_account_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_official_id'))
        batch_op.drop_index(batch_op.f('ix_positions_department_id'))
        batch_op.drop_index('ix_positions_county_role')
        batch_op.drop_index(batch_op.f('ix_positions_county_id'))

    op.drop_table('positions')
    with op.batch_alter_table('portfolio_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_assignments_official_id'))
        batch_op.drop_index(batch_op.f('ix_portfolio_assignments_department_id'))
        batch_op.drop_index(batch_op.f('ix_portfolio_assignments_county_id'))

    op.drop_table('portfolio_assignments')
    with op.batch_alter_table('entrustments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entrustments_county_id'))

    op.drop_table('entrustments')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_county_id'))

    op.drop_table('accounts')
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_index('ix_absences_official_period')
        batch_op.drop_index(batch_op.f('ix_absences_county_id'))

    op.drop_table('absences')
    with op.batch_alter_table('ab_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ab_pairs_official_b_id'))
        batch_op.drop_index(batch_op.f('ix_ab_pairs_official_a_id'))
        batch_op.drop_index(batch_op.f('ix_ab_pairs_county_id'))

    op.drop_table('ab_pairs')
    with op.batch_alter_table('officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officials_county_id'))

    op.drop_table('officials')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_county_id'))

    op.drop_table('departments')
    op.drop_table('counties')
    
