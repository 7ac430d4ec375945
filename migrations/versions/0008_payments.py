"""payments: Stripe accounts per coach, the ledger, saved cards, webhook events

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'payment_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('webhook_key', sa.String(length=43), nullable=False),
        sa.Column('secret_key_sealed', sa.Text(), nullable=False),
        sa.Column('publishable_key_sealed', sa.Text(), nullable=False),
        sa.Column('webhook_secret_sealed', sa.Text(), nullable=False),
        sa.Column('test_mode', sa.Boolean(), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('check_error', sa.String(length=300), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_payment_accounts_coach_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_accounts')),
        sa.UniqueConstraint('coach_id', name=op.f('uq_payment_accounts_coach_id')),
        sa.UniqueConstraint('webhook_key', name=op.f('uq_payment_accounts_webhook_key')),
    )
    op.create_table(
        'ledger_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('client_user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('package_id', sa.Integer(), nullable=True),
        sa.Column('provider_id', sa.String(length=255), nullable=True),
        sa.Column('idempotency_key', sa.String(length=120), nullable=True),
        sa.Column('method', sa.String(length=20), nullable=True),
        sa.Column('card_last4', sa.String(length=4), nullable=False),
        sa.Column('save_card', sa.Boolean(), nullable=False),
        sa.Column('refund_of_id', sa.Integer(), nullable=True),
        sa.Column('sessions_voided', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('failure', sa.String(length=300), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('amount_minor > 0', name=op.f('ck_ledger_entries_amount_positive')),
        sa.CheckConstraint("kind IN ('charge', 'refund', 'manual')", name=op.f('ck_ledger_entries_kind')),
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name=op.f('ck_ledger_entries_status')),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_ledger_entries_booking_id_bookings')),
        sa.ForeignKeyConstraint(['client_user_id'], ['users.id'], name=op.f('fk_ledger_entries_client_user_id_users')),
        sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_ledger_entries_coach_id_users')),
        sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_ledger_entries_package_id_packages')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_ledger_entries_recorded_by_id_users')),
        sa.ForeignKeyConstraint(['refund_of_id'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_refund_of_id_ledger_entries')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_ledger_entries_idempotency_key')),
        sa.UniqueConstraint('provider_id', name=op.f('uq_ledger_entries_provider_id')),
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_client_user_id'), ['client_user_id'], unique=False)
        batch_op.create_index('ix_ledger_entries_coach_client', ['coach_id', 'client_user_id', 'created_at'], unique=False)
    op.create_table(
        'saved_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('client_user_id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.String(length=255), nullable=False),
        sa.Column('payment_method_id', sa.String(length=255), nullable=True),
        sa.Column('card_last4', sa.String(length=4), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['client_user_id'], ['users.id'], name=op.f('fk_saved_cards_client_user_id_users')),
        sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_saved_cards_coach_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_cards')),
        sa.UniqueConstraint('coach_id', 'client_user_id', name=op.f('uq_saved_cards_coach_id_client_user_id')),
    )
    op.create_table(
        'webhook_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.String(length=255), nullable=False),
        sa.Column('type', sa.String(length=100), nullable=False),
        sa.Column('outcome', sa.String(length=300), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_webhook_events_coach_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_events')),
        sa.UniqueConstraint('coach_id', 'event_id', name=op.f('uq_webhook_events_coach_id_event_id')),
    )
    op.create_table(
        'program_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('client_user_id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.String(length=255), nullable=False),
        sa.Column('idempotency_key', sa.String(length=120), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('amount_minor > 0', name=op.f('ck_program_subscriptions_amount_positive')),
        sa.CheckConstraint("status IN ('incomplete', 'active', 'past_due', 'canceled')", name=op.f('ck_program_subscriptions_status')),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_program_subscriptions_client_id_clients')),
        sa.ForeignKeyConstraint(['client_user_id'], ['users.id'], name=op.f('fk_program_subscriptions_client_user_id_users')),
        sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_program_subscriptions_coach_id_users')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_subscriptions_program_id_programs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_subscriptions')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_program_subscriptions_idempotency_key')),
        sa.UniqueConstraint('provider_id', name=op.f('uq_program_subscriptions_provider_id')),
    )
    with op.batch_alter_table('program_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_subscriptions_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_subscriptions_client_user_id'), ['client_user_id'], unique=False)
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paid_outside', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_column('paid_outside')
    op.drop_table('program_subscriptions')
    op.drop_table('webhook_events')
    op.drop_table('saved_cards')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_coach_client')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_client_user_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_booking_id'))
    op.drop_table('ledger_entries')
    op.drop_table('payment_accounts')
