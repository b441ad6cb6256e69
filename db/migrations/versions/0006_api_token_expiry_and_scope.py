"""API tokens get an expiry and a scope (read, or read and write)

Tokens made before this revision keep working as they did: no expiry, read and write.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('scope', sa.Enum('read', 'read_write', name='api_token_scope', native_enum=False,
                                                    length=40),
                                   server_default='read_write', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('scope')
        batch.drop_column('expires_at')
