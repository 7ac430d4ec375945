"""outbox: html part, reply-to, a unique Message-ID per message, messages failed for good

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 20:15:00.000000

"""
import uuid
from urllib.parse import urlsplit

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _domain():
    try:
        public_url = current_app.config.get("PUBLIC_URL", "")
    except RuntimeError:
        public_url = ""
    return (urlsplit(public_url).hostname or "").lower() or "ondeck.invalid"


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reply_to', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))

    # Messages queued before this revision get a Message-ID of their own too.
    outbox = sa.table('outbox_messages', sa.column('id', sa.Integer), sa.column('message_id', sa.String))
    connection = op.get_bind()
    domain = _domain()
    for (message_id,) in connection.execute(sa.select(outbox.c.id)).all():
        connection.execute(
            outbox.update()
            .where(outbox.c.id == message_id)
            .values(message_id=f"<{uuid.uuid4()}@{domain}>")
        )

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=300), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_message_id'), ['message_id'])


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_message_id'), type_='unique')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('message_id')
        batch_op.drop_column('reply_to')
        batch_op.drop_column('html_body')
