"""after-care: the review request as 146号 describes it, and claim reports delivered through the outbox engine

Review (复核): one per accident (a unique case id), the request and its reasons, the evidence the party
uploaded, the document under review, withdrawal, and the reviewer's 第七十六条 reason. A request still
"open" from before is "pending" now. Claim reports (一键理赔) become an outbox like SMS and dispatches: due
time, lease, the JSON posted to the insurer, and the document it refers to.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('request', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('evidence', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('decision_reason', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_review_requests_document_id', 'documents', ['document_id'], ['id'])
        batch_op.create_unique_constraint('uq_review_requests_case', ['case_id'])
    reviews = sa.table('review_requests', sa.column('status', sa.String))
    op.execute(reviews.update().where(reviews.c.status == 'open').values(status='pending'))

    with op.batch_alter_table('claim_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_claim_reports_document_id', 'documents', ['document_id'], ['id'])
        batch_op.create_index('ix_claim_reports_due', ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claim_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_reports_due')
        batch_op.drop_constraint('fk_claim_reports_document_id', type_='foreignkey')
        for column in ('document_id', 'payload', 'claimed_until', 'next_attempt_at'):
            batch_op.drop_column(column)
    reviews = sa.table('review_requests', sa.column('status', sa.String))
    op.execute(reviews.update().where(reviews.c.status == 'pending').values(status='open'))
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.drop_constraint('uq_review_requests_case', type_='unique')
        batch_op.drop_constraint('fk_review_requests_document_id', type_='foreignkey')
        for column in ('withdrawn_at', 'decision_reason', 'evidence', 'request', 'document_id'):
            batch_op.drop_column(column)
