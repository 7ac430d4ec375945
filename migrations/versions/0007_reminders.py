"""session reminders, change notices and mail preferences

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'session_moves',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('calendar_client_id', sa.Integer(), nullable=False),
        sa.Column('moved_by_id', sa.Integer(), nullable=True),
        sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('from_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('to_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['calendar_client_id'], ['clients.id'], ),
        sa.ForeignKeyConstraint(['moved_by_id'], ['users.id'], ),
        sa.ForeignKeyConstraint(['session_id'], ['coaching_sessions.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('session_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_moves_calendar_client_id'), ['calendar_client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_moves_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('reminder', 'notice', 'agenda', 'digest', name='mailkind', native_enum=False, length=10, create_constraint=False), nullable=True))
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offset_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('skipped_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('skip_reason', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('calendar_ics', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=400), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_session_id'), ['session_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_dedupe_key'), ['dedupe_key'])
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_session_id_coaching_sessions'), 'coaching_sessions', ['session_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_offsets', sa.String(length=60), nullable=False, server_default='1440,120'))
        batch_op.add_column(sa.Column('agenda_email', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('session_location', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reminders_off', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('training_digest', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('unsubscribe_salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('unsubscribe_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_unsubscribe_token_hash'), ['unsubscribe_token_hash'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('reminder_offsets', server_default=None)
        batch_op.alter_column('agenda_email', server_default=None)
        batch_op.alter_column('session_location', server_default=None)
        batch_op.alter_column('reminders_off', server_default=None)
        batch_op.alter_column('training_digest', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_unsubscribe_token_hash'), type_='unique')
        batch_op.drop_column('unsubscribe_token_hash')
        batch_op.drop_column('unsubscribe_salt')
        batch_op.drop_column('training_digest')
        batch_op.drop_column('reminders_off')
        batch_op.drop_column('session_location')
        batch_op.drop_column('agenda_email')
        batch_op.drop_column('reminder_offsets')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_session_id_coaching_sessions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_dedupe_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_session_id'))
        batch_op.drop_column('list_unsubscribe')
        batch_op.drop_column('calendar_ics')
        batch_op.drop_column('skip_reason')
        batch_op.drop_column('skipped_at')
        batch_op.drop_column('offset_minutes')
        batch_op.drop_column('session_id')
        batch_op.drop_column('dedupe_key')
        batch_op.drop_column('kind')

    with op.batch_alter_table('session_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_moves_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_moves_calendar_client_id'))

    op.drop_table('session_moves')
