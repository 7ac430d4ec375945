"""calendar feed versions and session changes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_version', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('feed_changed_at', sa.DateTime(timezone=True), nullable=True))

    # Existing sessions count as changed now: their feed events get a fresh DTSTAMP once.
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE coaching_sessions SET updated_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.drop_column('updated_at')

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('feed_changed_at')
        batch_op.drop_column('feed_version')
