"""sign-in throttle: failed sign-ins counted per account and per client address, shared by every process

Accounts are disabled through their existing ``active`` column (services.auth.set_account_enabled).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_in_counters',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('window_ends', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_sign_in_counters_window_ends', 'sign_in_counters', ['window_ends'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sign_in_counters_window_ends', table_name='sign_in_counters')
    op.drop_table('sign_in_counters')
