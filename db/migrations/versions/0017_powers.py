"""powers: the power catalogue (职权目录), its versions, their reviews, flowcharts and risk points

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 03:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_HOLDERS = ('body', 'position_role', 'department')
_ROLES = ('magistrate', 'executive_vice_magistrate', 'vice_magistrate', 'department_principal', 'department_deputy')
_STATES = ('draft', 'under_review', 'approved', 'published', 'amended', 'revoked')
_OFFICES = ('establishment', 'legal')
_LEVELS = ('high', 'medium', 'low')


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        'powers',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('holder_kind', _enum(_HOLDERS, 'power_holder_kind'), nullable=False),
        sa.Column('holder_body_id', _ID, nullable=True),
        sa.Column('holder_role', _enum(_ROLES, 'power_holder_role'), nullable=True),
        sa.Column('holder_department_id', _ID, nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['holder_body_id'], ['meeting_bodies.id']),
        sa.ForeignKeyConstraint(['holder_department_id'], ['departments.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_powers_county_code', 'powers', ['county_id', 'code'])
    op.create_table(
        'power_versions',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('power_id', _ID, nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('state', _enum(_STATES, 'power_state'), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('category', sa.String(length=100), nullable=False),
        sa.Column('legal_basis', sa.Text(), nullable=False),
        sa.Column('conditions', sa.Text(), nullable=False),
        sa.Column('output', sa.Text(), nullable=False),
        sa.Column('time_limit_days', sa.Integer(), nullable=True),
        sa.Column('fee', sa.String(length=300), nullable=False),
        sa.Column('fee_basis', sa.Text(), nullable=False),
        sa.Column('responsible_post', sa.String(length=200), nullable=False),
        sa.Column('complaint_channel', sa.String(length=300), nullable=False),
        sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('approved_by_decision_id', _ID, nullable=True),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['approved_by_decision_id'], ['meeting_decisions.id']),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['power_id'], ['powers.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('power_id', 'number', name='uq_power_version_number'),
    )
    op.create_index('ix_power_versions_county_state', 'power_versions', ['county_id', 'state'])
    op.create_index('ix_power_versions_power_id', 'power_versions', ['power_id'])
    op.create_table(
        'power_reviews',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('version_id', _ID, nullable=False),
        sa.Column('office', _enum(_OFFICES, 'power_review_office'), nullable=False),
        sa.Column('department_id', _ID, nullable=True),
        sa.Column('reviewer', sa.String(length=200), nullable=False),
        sa.Column('agreed', sa.Boolean(), nullable=False),
        sa.Column('opinion', sa.Text(), nullable=False),
        sa.Column('recorded_by_account_id', _ID, nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.ForeignKeyConstraint(['recorded_by_account_id'], ['accounts.id']),
        sa.ForeignKeyConstraint(['version_id'], ['power_versions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_power_reviews_version_id', 'power_reviews', ['version_id'])
    op.create_table(
        'power_steps',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('version_id', _ID, nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('conditions', sa.Text(), nullable=False),
        sa.Column('time_limit_days', sa.Integer(), nullable=False),
        sa.Column('requirements', sa.Text(), nullable=False),
        sa.Column('next', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['version_id'], ['power_versions.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('version_id', 'position', name='uq_power_step_position'),
    )
    op.create_index('ix_power_steps_version_id', 'power_steps', ['version_id'])
    op.create_table(
        'power_risk_points',
        sa.Column('id', _ID, nullable=False),
        sa.Column('county_id', _ID, nullable=False),
        sa.Column('version_id', _ID, nullable=False),
        sa.Column('step_key', sa.String(length=40), nullable=True),
        sa.Column('category', sa.String(length=100), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('level', _enum(_LEVELS, 'power_risk_level'), nullable=True),
        sa.Column('harm', sa.Text(), nullable=False),
        sa.Column('controls', sa.JSON(), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=False),
        sa.Column('review_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['county_id'], ['counties.id']),
        sa.ForeignKeyConstraint(['version_id'], ['power_versions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_power_risk_points_version_id', 'power_risk_points', ['version_id'])


def downgrade() -> None:
    op.drop_table('power_risk_points')
    op.drop_table('power_steps')
    op.drop_table('power_reviews')
    op.drop_table('power_versions')
    op.drop_table('powers')
