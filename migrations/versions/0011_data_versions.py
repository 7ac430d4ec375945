"""data versions: a counter per coach, bumped by every write, that cached pages are keyed by

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_versions',
        sa.Column('coach_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('coach_id', name=op.f('pk_data_versions')),
    )


def downgrade():
    op.drop_table('data_versions')
