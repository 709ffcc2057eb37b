"""liability documents: a gapless number per year, the stored PDF, the decision; weather, notes and badges

Issuing the 道路交通事故认定书 (issue 12) numbers each document from
``document_counters`` inside the issuing transaction, so a rolled-back issue
leaves no gap; ``documents`` gains that place in the sequence, the PDF's
evidence row and size, the decision as issued, and revocation by a successor
(after a review). Cases gain the weather and the operator's notes that the
document and its facts are written from, and when an officer last sent the case
back. Officers gain their badge number (警号). Existing rows get empty defaults.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('badge_number', sa.String(length=16), nullable=False, server_default=''))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weather', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('operator_notes', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sent_back_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('size_bytes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('evidence_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_documents_evidence_id', 'evidence', ['evidence_id'], ['id'])
        batch_op.create_foreign_key('fk_documents_superseded_by_id', 'documents', ['superseded_by_id'], ['id'])
        batch_op.create_unique_constraint('uq_documents_kind_year_seq', ['kind', 'year', 'seq'])
    op.create_table(
        'document_counters',
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'year'),
    )


def downgrade() -> None:
    op.drop_table('document_counters')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('uq_documents_kind_year_seq', type_='unique')
        batch_op.drop_constraint('fk_documents_superseded_by_id', type_='foreignkey')
        batch_op.drop_constraint('fk_documents_evidence_id', type_='foreignkey')
        for column in ('superseded_by_id', 'revoked_at', 'decision', 'evidence_id', 'size_bytes', 'seq', 'year'):
            batch_op.drop_column(column)
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 and PostgreSQL): a batch would recreate these
    # tables, and SQLite refuses to drop a table that other tables' rows still point at.
    for table, column in (('cases', 'sent_back_at'), ('cases', 'operator_notes'), ('cases', 'weather'),
                          ('users', 'badge_number')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
