"""seed the audit head row

The first audit append used to create the ``audit_head`` row itself. Two
transactions appending at once on a fresh PostgreSQL database both found no row
to lock, both inserted one, and all but one failed on the primary key. With the
row present from the start, every append locks it and the writers queue.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def upgrade() -> None:
    op.execute(
        "INSERT INTO audit_head (id, last_event_id, last_hash) "
        f"SELECT 1, 0, '{GENESIS_HASH}' WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)"
    )


def downgrade() -> None:
    # Only an untouched genesis row is removed; a head that records events stays with them.
    op.execute(f"DELETE FROM audit_head WHERE id = 1 AND last_event_id = 0 AND last_hash = '{GENESIS_HASH}'")
