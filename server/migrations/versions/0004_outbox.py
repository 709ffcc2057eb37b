"""one outbox engine: dispatch leases in their own column, and every delivery attempt recorded

SMS and dispatch are now delivered by one engine (server/services/outbox.py).
Dispatches used to mark a claim by pushing ``next_attempt_at`` out by the lease;
they now carry ``claimed_until`` and the status "sending" like the SMS outbox,
and get the same due-index. Every attempt of every outbox is kept in
``outbox_attempts``. Existing rows keep their state: nothing in either table is
rewritten on the way up. On the way down, a dispatch claimed at that moment goes
back to "pending", due when its lease ends, which is how 0003 expressed a claim.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_dispatches_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table(
        'outbox_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('reference', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('outbox_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_attempts_item', ['kind', 'item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_attempts_item')
    op.drop_table('outbox_attempts')

    dispatches = sa.table('dispatches', sa.column('status', sa.String), sa.column('next_attempt_at', sa.DateTime),
                          sa.column('claimed_until', sa.DateTime))
    op.execute(dispatches.update().where(dispatches.c.status == 'sending')
               .values(status='pending', next_attempt_at=dispatches.c.claimed_until))
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatches_due')
        batch_op.drop_column('claimed_until')
