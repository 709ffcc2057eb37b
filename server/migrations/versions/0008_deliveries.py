"""delivery (送达) of a document to each party, and SMS rows that know their party, purpose and delivery report

The review deadline runs from each party's own delivery: the first time the party opens or downloads
the document, or the gateway's delivery report for the document's SMS. ``document_deliveries`` keeps
the first per document and party. SMS rows gain the party they went to, the template they were written
from, and when the gateway reported them delivered. Existing messages keep empty values.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('via', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['party_id'], ['parties.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('document_id', 'party_id', name='uq_document_deliveries_party'),
    )
    with op.batch_alter_table('document_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_document_deliveries_document_id', ['document_id'], unique=False)
    with op.batch_alter_table('sms_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('purpose', sa.String(length=24), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_sms_outbox_party_id', 'parties', ['party_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('sms_outbox', schema=None) as batch_op:
        batch_op.drop_constraint('fk_sms_outbox_party_id', type_='foreignkey')
        for column in ('delivered_at', 'purpose', 'party_id'):
            batch_op.drop_column(column)
    op.drop_table('document_deliveries')
