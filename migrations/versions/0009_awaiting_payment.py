"""a client who accepted a program paid by card awaits their first payment

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_payment_since', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('awaiting_payment_since')
